/**
 * The second half of the collection: volume actions, LUNs, hosts, consistency groups, remote arrays, log, the error
 * answers, and logging out.
 */
import {
  error,
  flag,
  folder,
  get,
  noBody,
  ok,
  okOrMissing,
  okOrUnsupported,
  onSuccess,
  request,
  servedProbe,
  set,
  skipUnless,
} from './lib';

const vol = '/server/{{serverId}}/volume';
const is = (name: string, value: string) => `${get(name)} === ${JSON.stringify(value)}`;

export const actions = folder(
  'Volume actions',
  'Clone, mount, split, the three restores and the deletes, on the first volume and its new snapshot. Each action either works or answers the documented 501 UNSUPPORTED, as the storage allows; the clone and the new volume are deleted again.',
  [
    request({
      name: 'Clone the snapshot',
      method: 'POST',
      path: `${vol}/{{volumeId}}?action=clone`,
      raw: '{\n  "snapshot": { "id": "{{snapshotId}}" },\n  "name": "postman_clone_{{runTag}}"\n}',
      test: [
        ...okOrUnsupported(200, 'Volume', null, 'clone'),
        ...onSuccess([
          `pm.test('the clone has the name asked for', function () { pm.expect(pm.response.json().name).to.eql('postman_clone_' + ${get('runTag')}); });`,
          set('cloneId', 'pm.response.json().id'),
          set('cloneSplit', 'pm.response.json().supports.split'),
        ]),
      ],
    }),
    request({
      name: 'Mount the clone',
      method: 'POST',
      path: `${vol}/{{cloneId}}?action=mount`,
      body: {},
      pre: skipUnless(get('cloneId'), 'no clone'),
      test: okOrUnsupported(200, 'MountResult', null, 'mount'),
    }),
    request({
      name: 'Split the clone',
      method: 'POST',
      path: `${vol}/{{cloneId}}?action=split`,
      pre: skipUnless(get('cloneId'), 'no clone'),
      description:
        "The clone's supports.split decides: ANY_TIME or FROM_SNAPSHOT must split, NONE must answer 501, NOT_NEEDED may do either.",
      test: okOrUnsupported(
        200,
        'SplitStatus',
        `${is('cloneSplit', 'NONE')} ? false : (${is('cloneSplit', 'ANY_TIME')} || ${is('cloneSplit', 'FROM_SNAPSHOT')}) ? true : null`,
        'split',
      ),
    }),
    request({
      name: 'Split status of the clone',
      method: 'GET',
      path: `${vol}/{{cloneId}}/splitstatus`,
      pre: skipUnless(get('cloneId'), 'no clone'),
      test: okOrUnsupported(200, 'SplitStatus', null, 'split status'),
    }),
    request({
      name: 'Restore the snapshot to a new volume',
      method: 'POST',
      path: `${vol}/{{volumeId}}?action=restore-to-new`,
      raw: '{\n  "sourceSnapshotId": "{{snapshotId}}",\n  "targetVolumeName": "postman_new_{{runTag}}",\n  "targetPoolIds": ["{{volumePoolId}}"]\n}',
      test: [
        ...okOrUnsupported(200, 'Volume', null, 'restore-to-new'),
        ...onSuccess([
          `pm.test('the new volume has the name asked for', function () { pm.expect(pm.response.json().name).to.eql('postman_new_' + ${get('runTag')}); });`,
          set('newVolumeId', 'pm.response.json().id'),
        ]),
      ],
    }),
    request({
      name: 'Restore the snapshot into another volume',
      method: 'POST',
      path: `${vol}/{{volumeId}}?action=restore-to-alternate`,
      raw: '{\n  "sourceSnapshotId": "{{snapshotId}}",\n  "targetVolumeId": "{{alternateVolumeId}}"\n}',
      description: 'The target is a volume the collection made: the new volume, else the clone.',
      pre: [
        ...skipUnless(`${get('newVolumeId')} || ${get('cloneId')}`, 'no volume of the collection to restore into'),
        `pm.variables.set('alternateVolumeId', ${get('newVolumeId')} || ${get('cloneId')});`,
      ],
      test: [
        ...okOrUnsupported(200, 'Volume', null, 'restore-to-alternate'),
        ...onSuccess([
          `pm.test('it answers the target volume', function () { pm.expect(pm.response.json().id).to.eql(pm.variables.get('alternateVolumeId')); });`,
        ]),
      ],
    }),
    request({
      name: 'Delete the clone',
      method: 'DELETE',
      path: `${vol}/{{cloneId}}`,
      pre: skipUnless(get('cloneId'), 'no clone'),
      test: noBody(200),
    }),
    request({
      name: 'Delete the new volume',
      method: 'DELETE',
      path: `${vol}/{{newVolumeId}}`,
      pre: skipUnless(get('newVolumeId'), 'no new volume'),
      test: noBody(200),
    }),
    request({
      name: 'Restore the volume from the snapshot',
      method: 'POST',
      path: `${vol}/{{volumeId}}?action=restore`,
      raw: '{\n  "snapshotId": "{{snapshotId}}"\n}',
      description:
        "Nothing was written since the snapshot, so the content does not change. The volume's supports.revert says whether restore must work.",
      test: [
        ...okOrUnsupported(200, 'Volume', is('volumeRevert', 'true'), 'restore'),
        ...onSuccess([
          `pm.test('it answers the restored volume', function () { pm.expect(pm.response.json().id).to.eql(${get('volumeId')}); });`,
        ]),
      ],
    }),
    request({
      name: 'Delete the snapshot',
      method: 'DELETE',
      path: `${vol}/{{volumeId}}/snapshot/{{snapshotId}}`,
      test: noBody(204),
    }),
    request({
      name: 'The deleted snapshot is gone',
      method: 'GET',
      path: `${vol}/{{volumeId}}/snapshot/{{snapshotId}}`,
      test: error(404, 'NOT_FOUND'),
    }),
  ],
);

const lunsServed = is('lunsServed', 'true');

export const luns = folder(
  'LUNs',
  'The block volumes hosts see. Storage without LUNs lists none (200, []), a LUN is 404 and online answers 501.',
  [
    request({
      name: 'LUNs',
      method: 'GET',
      path: '/server/{{serverId}}/lun',
      test: [
        // Every collection answers a list, empty where the storage does not have it.
        ...ok(200, 'LunList'),
        set('lunCount', 'String(pm.response.json().luns.length)'),
        "if (pm.response.json().luns.length) { pm.collectionVariables.set('lunId', pm.response.json().luns[0].id); pm.collectionVariables.set('lunVolumeId', pm.response.json().luns[0].volumeId); }",
      ],
    }),
    request({
      name: 'Online a LUN that does not exist (are LUNs served?)',
      method: 'POST',
      path: '/server/{{serverId}}/lun/postman_nolun_{{runTag}}?action=online',
      test: [
        ...servedProbe('lunsServed', 'lunCount', 'online of a missing LUN'),
        // Where LUNs are not served a placeholder id shows the 404 of a LUN and the 501 of online.
        `if (pm.response.code === 501) { ${set('lunId', "'none'")} }`,
      ],
    }),
    request({
      name: 'A LUN',
      method: 'GET',
      path: '/server/{{serverId}}/lun/{{lunId}}',
      pre: skipUnless(get('lunId'), 'no LUN'),
      test: okOrMissing(200, 'Lun', lunsServed, 'a LUN'),
    }),
    request({
      name: "Mount the first LUN's volume",
      method: 'POST',
      path: `${vol}/{{lunVolumeId}}?action=mount`,
      body: {},
      description: 'A block volume is made usable (online, read-write) and has no path: 200 with path null.',
      pre: skipUnless(`${lunsServed} && ${get('lunVolumeId')}`, 'no LUN'),
      test: [
        ...okOrUnsupported(200, 'MountResult', null, 'mount of a block volume'),
        ...onSuccess([
          "pm.test('a block volume is mounted without a path', function () { pm.expect(pm.response.json().path).to.eql(null); });",
        ]),
      ],
    }),
    request({
      name: 'Bring the LUN online',
      method: 'POST',
      path: '/server/{{serverId}}/lun/{{lunId}}?action=online',
      pre: skipUnless(get('lunId'), 'no LUN'),
      test: okOrUnsupported(200, null, lunsServed, 'online'),
    }),
  ],
);

/** The map body: the LUN where there is one, else the first volume (which then shows the 501). */
const mapBody = [
  `pm.variables.set('mapBody', JSON.stringify(${lunsServed} ? { lunId: ${get('lunId')} } : { volumeId: ${get('volumeId')} }));`,
];

export const hosts = folder(
  'Hosts',
  'A host made by the collection (the contract has no host delete: it stays on the array), the LUN mapped to it and unmapped again, and the host groups.',
  [
    request({
      name: 'Create a host',
      method: 'POST',
      path: '/server/{{serverId}}/host',
      raw: '{\n  "name": "postman_host_{{runTag}}",\n  "iqns": ["iqn.1994-05.com.example:postman-{{runTag}}"]\n}',
      test: [
        // Storage whose hosts are made elsewhere (a cloud's virtual machines) answers 501; the hosts it lists are used.
        ...okOrUnsupported(201, 'Host', null, 'create a host'),
        ...onSuccess([
          `pm.test('it has the name asked for', function () { pm.expect(pm.response.json().name).to.eql('postman_host_' + ${get('runTag')}); });`,
          `pm.test('Location names the new host', function () { pm.expect(pm.response.headers.get('Location')).to.match(new RegExp('/server/' + encodeURIComponent(${get('serverId')}) + '/host/' + encodeURIComponent(pm.response.json().id) + '$')); });`,
          set('hostId', 'pm.response.json().id'),
          set('hostCreated', "'true'"),
        ]),
        `if (pm.response.code === 501) { ${set('hostId', "''")} ${set('hostCreated', "'false'")} }`,
      ],
    }),
    request({
      name: 'Hosts',
      method: 'GET',
      path: '/server/{{serverId}}/host',
      test: [
        ...ok(200, 'HostList'),
        `if (${get('hostCreated')} === 'true') { pm.test('the new host is listed', function () { pm.expect(pm.response.json().hosts.map(function (h) { return h.id; })).to.include(${get('hostId')}); }); }`,
        `else if (pm.response.code === 200 && pm.response.json().hosts.length) { ${set('hostId', 'pm.response.json().hosts[0].id')} }`,
      ],
    }),
    request({
      name: 'The host',
      method: 'GET',
      path: '/server/{{serverId}}/host/{{hostId}}',
      pre: skipUnless(get('hostId'), 'no host: none could be created and the storage lists none'),
      test: [
        ...ok(200, 'Host'),
        `pm.test('it is the host asked for', function () { pm.expect(pm.response.json().id).to.eql(${get('hostId')}); });`,
      ],
    }),
    request({
      name: 'Map the LUN to the host',
      method: 'POST',
      path: '/server/{{serverId}}/host/{{hostId}}?action=map',
      raw: '{{mapBody}}',
      pre: [
        ...skipUnless(get('hostId'), 'no host: none could be created and the storage lists none'),
        ...skipUnless(`!(${lunsServed}) || ${get('lunId')}`, 'LUNs are served but the array has none'),
        ...mapBody,
      ],
      test: [
        ...okOrUnsupported(200, 'HostLunMapping', null, 'map'),
        ...onSuccess([
          `pm.test('the mapping names the host and the LUN', function () { pm.expect(pm.response.json().hostId).to.eql(${get('hostId')}); pm.expect(pm.response.json().lunId).to.eql(${get('lunId')}); });`,
          set('mappedLunId', 'pm.response.json().lunId'),
        ]),
      ],
    }),
    request({
      name: 'LUNs mapped to the host',
      method: 'GET',
      path: '/server/{{serverId}}/host/{{hostId}}/lun',
      pre: skipUnless(get('hostId'), 'no host: none could be created and the storage lists none'),
      test: [
        ...okOrUnsupported(200, 'HostLunList', null, 'host LUNs'),
        ...onSuccess([
          `pm.test('the mapped LUN is listed', function () { var m = ${get('mappedLunId')}; if (m) { pm.expect(pm.response.json().luns.map(function (l) { return l.lunId; })).to.include(m); } });`,
        ]),
      ],
    }),
    request({
      name: 'Unmap the LUN from the host',
      method: 'POST',
      path: '/server/{{serverId}}/host/{{hostId}}?action=unmap',
      raw: '{\n  "lunId": "{{mappedLunId}}"\n}',
      pre: skipUnless(get('mappedLunId'), 'nothing was mapped'),
      test: noBody(200),
    }),
    request({
      name: 'Host groups',
      method: 'GET',
      path: '/server/{{serverId}}/hostgroup',
      test: [
        ...ok(200, 'HostGroupList'),
        set('hostGroupCount', 'String(pm.response.json().groups.length)'),
        "if (pm.response.json().groups.length) { pm.collectionVariables.set('hostGroupId', pm.response.json().groups[0].id); }",
      ],
    }),
    request({
      name: 'Map to a host group that does not exist (are host groups served?)',
      method: 'POST',
      path: '/server/{{serverId}}/hostgroup/postman_nohg_{{runTag}}?action=map',
      raw: '{\n  "volumeId": "{{volumeId}}"\n}',
      test: [
        ...servedProbe('hostGroupsServed', 'hostGroupCount', 'map to a missing host group'),
        // Where groups are not served a placeholder shows the 501 of map.
        `if (pm.response.code === 501) { ${set('hostGroupId', "'none'")} }`,
      ],
    }),
    request({
      name: 'Map the LUN to a host group',
      method: 'POST',
      path: '/server/{{serverId}}/hostgroup/{{hostGroupId}}?action=map',
      raw: '{{mapBody}}',
      description: 'Maps the LUN to the first host group of the array (the contract has no host group unmap).',
      pre: [
        ...skipUnless(`${get('hostGroupId')} && (!(${lunsServed}) || ${get('lunId')})`, 'no host group or no LUN'),
        ...mapBody,
      ],
      test: okOrUnsupported(200, 'HostGroupMapping', is('hostGroupsServed', 'true'), 'host group map'),
    }),
  ],
);

const cgServed = is('cgServed', 'true');
const cg = '/server/{{serverId}}/consistencygroup/{{cgId}}';
const needCg = skipUnless(get('cgId'), 'the array has no consistency group (the contract cannot create one)');

export const groups = folder(
  'Consistency groups',
  "The array's first consistency group: read, snapshot, a volume taken out and put back (or added and taken out), the collection's own group snapshots condensed. Where groups are not served every call answers 501.",
  [
    request({
      name: 'Consistency groups',
      method: 'GET',
      path: '/server/{{serverId}}/consistencygroup',
      test: [
        ...ok(200, 'ConsistencyGroupList'),
        set('cgCount', 'String(pm.response.json().consistencyGroups.length)'),
        "if (pm.response.json().consistencyGroups.length) { pm.collectionVariables.set('cgId', pm.response.json().consistencyGroups[0].id); }",
        // A volume joins one group at most: the one added below must be in none.
        "pm.collectionVariables.set('cgMemberIds', JSON.stringify([].concat.apply([], pm.response.json().consistencyGroups.map(function (g) { return g.volumeIds; }))));",
      ],
    }),
    request({
      name: 'Take a volume out of a group that does not exist (are groups served?)',
      method: 'POST',
      path: '/server/{{serverId}}/consistencygroup/postman_nocg_{{runTag}}?action=remove-volume',
      raw: '{\n  "volumeIds": ["{{volumeId}}"]\n}',
      test: [
        ...servedProbe('cgServed', 'cgCount', 'remove-volume from a missing group'),
        `if (${flag('persistentConsistencyGroup')}) { pm.test('persistentConsistencyGroup: groups are served', function () { pm.expect(pm.response.code).to.eql(404); }); }`,
        // Where groups are not served a placeholder shows the 404 of a group and the 501 of its actions.
        `if (pm.response.code === 501) { ${set('cgId', "'none'")} }`,
      ],
    }),
    request({
      name: 'A consistency group',
      method: 'GET',
      path: cg,
      pre: needCg,
      test: [
        ...okOrMissing(200, 'ConsistencyGroup', cgServed, 'a group'),
        ...onSuccess([
          `pm.test('it is the group asked for', function () { pm.expect(pm.response.json().id).to.eql(${get('cgId')}); });`,
          set('cgVolumeIds', 'JSON.stringify(pm.response.json().volumeIds)'),
        ]),
      ],
    }),
    request({
      name: 'Snapshots of the group',
      method: 'GET',
      path: `${cg}/snapshot`,
      pre: needCg,
      test: okOrMissing(200, 'ConsistencyGroupSnapshotList', cgServed, 'group snapshots'),
    }),
    request({
      name: 'Take a group snapshot',
      method: 'POST',
      path: `${cg}?action=take-snapshot`,
      raw: '{\n  "prefix": "postman_{{runTag}}"\n}',
      pre: needCg,
      test: okOrUnsupported(200, 'ConsistencyGroupSnapshot', cgServed, 'take-snapshot'),
    }),
    request({
      name: 'Take a volume out of the group',
      method: 'POST',
      path: `${cg}?action=remove-volume`,
      raw: '{\n  "volumeIds": ["{{outVolumeId}}"]\n}',
      description: 'The last volume of a group of two or more; the next request puts it back.',
      pre: [
        ...needCg,
        `var members = JSON.parse(${get('cgVolumeIds')} || '[]');`,
        `if (${cgServed} && members.length < 2) { console.log('skipped: the group has a single volume'); pm.execution.skipRequest(); }`,
        `pm.variables.set('outVolumeId', members[members.length - 1] || ${get('volumeId')});`,
      ],
      test: [
        ...okOrUnsupported(200, 'ConsistencyGroup', cgServed, 'remove-volume'),
        ...onSuccess([
          "pm.test('the volume is out of the group', function () { pm.expect(pm.response.json().volumeIds).to.not.include(pm.variables.get('outVolumeId')); });",
          set('cgMovedVolumeId', "pm.variables.get('outVolumeId')"),
        ]),
      ],
    }),
    request({
      name: 'Add a volume to the group',
      method: 'POST',
      path: `${cg}?action=add-volume`,
      raw: '{\n  "volumeId": "{{inVolumeId}}"\n}',
      description:
        'The volume taken out just before, else a volume that is in no group (taken out again by the next request).',
      pre: [
        ...needCg,
        `var back = ${get('cgMovedVolumeId')}; var members = JSON.parse(${get('cgMemberIds')} || '[]');`,
        `var free = JSON.parse(${get('volumeIds')} || '[]').filter(function (v) { return members.indexOf(v) < 0; })[0];`,
        `if (${cgServed} && !back && !free) { console.log('skipped: no volume to add (every volume is in a group)'); pm.execution.skipRequest(); }`,
        `pm.variables.set('inVolumeId', back || free || ${get('volumeId')});`,
        `if (!back) { pm.collectionVariables.set('cgAddedVolumeId', free || ${get('volumeId')}); }`,
      ],
      test: [
        ...okOrUnsupported(200, 'ConsistencyGroup', cgServed, 'add-volume'),
        ...onSuccess([
          "pm.test('the volume is in the group', function () { pm.expect(pm.response.json().volumeIds).to.include(pm.variables.get('inVolumeId')); });",
        ]),
      ],
    }),
    request({
      name: 'Take the added volume out again',
      method: 'POST',
      path: `${cg}?action=remove-volume`,
      raw: '{\n  "volumeIds": ["{{cgAddedVolumeId}}"]\n}',
      pre: skipUnless(`${get('cgId')} && ${get('cgAddedVolumeId')}`, 'the volume added was one taken out before'),
      test: okOrUnsupported(200, 'ConsistencyGroup', cgServed, 'remove-volume'),
    }),
    request({
      name: "Condense the collection's group snapshots",
      method: 'POST',
      path: `${cg}?action=condense`,
      body: { numberOfInstances: 1, snapshotPrefixes: ['postman_'] },
      description: 'Keeps the newest group snapshot named postman_*; other snapshots are not touched.',
      pre: needCg,
      test: okOrUnsupported(200, null, cgServed, 'condense'),
    }),
  ],
);

export const remote = folder(
  'Remote arrays',
  'The arrays this one replicates to, and one of them added as a replication target of the consistency group.',
  [
    request({
      name: 'Remote arrays',
      method: 'GET',
      path: '/server/{{serverId}}/remotearray',
      test: [
        // Listed even where the storage does not replicate: then the list is empty.
        ...ok(200, 'RemoteArrayList'),
        `if (!(${flag('replication')})) { pm.test('no replication, so no remote arrays', function () { pm.expect(pm.response.json().remoteArrays).to.eql([]); }); }`,
        "if (pm.response.json().remoteArrays.length) { pm.collectionVariables.set('remoteArrayName', pm.response.json().remoteArrays[0].name); }",
      ],
    }),
    request({
      name: 'Add a remote array as replication target of the group',
      method: 'POST',
      path: `${cg}?action=add-replication-target`,
      raw: '{\n  "targetName": "{{targetName}}"\n}',
      pre: [
        ...skipUnless(
          `${get('cgId')} && (!(${flag('consistencyGroupReplication')}) || ${get('remoteArrayName')})`,
          'no group, or no remote array to replicate to',
        ),
        `pm.variables.set('targetName', ${get('remoteArrayName')} || 'postman-target');`,
      ],
      test: okOrUnsupported(200, 'ReplicationTarget', flag('consistencyGroupReplication'), 'add-replication-target'),
    }),
  ],
);

export const log = folder(
  'Log',
  "GET /log: the plugin's logs as a zip (Accept application/zip or application/octet-stream).",
  [
    request({
      name: 'Download the logs',
      method: 'GET',
      path: '/log',
      accept: 'application/zip',
      test: [
        "pm.test('status is 200', function () { pm.response.to.have.status(200); });",
        "pm.test('a zip archive', function () { pm.expect(pm.response.headers.get('Content-Type')).to.match(/^application\\/zip/); var b = pm.response.stream; pm.expect([b[0], b[1]]).to.eql([0x50, 0x4b]); });",
      ],
    }),
    request({
      name: 'Logs as JSON answer 415',
      method: 'GET',
      path: '/log',
      test: error(415, 'UNSUPPORTED_MEDIA_TYPE'),
    }),
  ],
);

export const errors = folder(
  'Errors',
  'What a client sees when something is wrong: one JSON error shape with a stable type.',
  [
    request({
      name: 'Without a session: 401',
      method: 'GET',
      path: '/storage',
      auth: 'none',
      test: error(401, 'UNAUTHORIZED'),
    }),
    request({
      name: 'With an unknown session: 401',
      method: 'GET',
      path: '/storage',
      auth: { session: 'no-such-session' },
      test: error(401, 'UNAUTHORIZED'),
    }),
    request({ name: 'An unknown volume: 404', method: 'GET', path: `${vol}/987654321`, test: error(404, 'NOT_FOUND') }),
    request({
      name: 'An unknown action: 400',
      method: 'POST',
      path: `${vol}/{{volumeId}}?action=explode`,
      body: {},
      test: error(400, 'UNKNOWN_ACTION'),
    }),
    request({
      name: 'Malformed JSON: 400',
      method: 'POST',
      path: `${vol}/{{volumeId}}/snapshot`,
      raw: '{"name": ',
      test: error(400, 'BAD_REQUEST'),
    }),
    request({
      name: 'A field of the wrong type: 400',
      method: 'POST',
      path: `${vol}/{{volumeId}}/snapshot`,
      body: { name: 42 },
      test: error(400, 'BAD_REQUEST'),
    }),
    request({
      name: 'Accept other than JSON: 415',
      method: 'GET',
      path: '/storage',
      accept: 'text/html',
      test: error(415, 'UNSUPPORTED_MEDIA_TYPE'),
    }),
  ],
);

export const logout = folder('Log out', 'DELETE /session ends the session.', [
  request({ name: 'Log out', method: 'DELETE', path: '/session', test: noBody(204) }),
  request({ name: 'The session is over', method: 'GET', path: '/storage', test: error(401, 'UNAUTHORIZED') }),
]);
