/**
 * The first half of the collection, as an operator explores: plugin information, session, storage, servers, pools and
 * networks, volumes, snapshots.
 */
import { error, flag, folder, get, noBody, ok, okOrUnsupported, onSuccess, request, set, skipUnless } from './lib';

/** Everything the collection captures; cleared at the start of a run so a rerun never uses stale ids. */
export const CAPTURED = [
  'runTag',
  'sessionId',
  'extraSessionId',
  'storageId',
  'pluginId',
  'serverId',
  'serverFlags',
  'poolId',
  'networkId',
  'volumeId',
  'volumeIds',
  'volumePoolId',
  'volumeRevert',
  'snapshotId',
  'cloneId',
  'cloneSplit',
  'newVolumeId',
  'lunsServed',
  'lunCount',
  'lunId',
  'lunVolumeId',
  'hostId',
  'hostCreated',
  'mappedLunId',
  'hostGroupsServed',
  'hostGroupCount',
  'hostGroupId',
  'cgServed',
  'cgCount',
  'cgId',
  'cgVolumeIds',
  'cgMemberIds',
  'cgMovedVolumeId',
  'cgAddedVolumeId',
  'remoteArrayName',
];

const target = '"hostname": "{{arrayHost}}",\n  "ipAddress": "{{arrayHost}}",\n  "port": {{arrayPort}}';

export const info = folder('Plugin information', 'GET /info: who the plugin is. It needs no session.', [
  request({
    name: 'Plugin information',
    method: 'GET',
    path: '/info',
    auth: 'none',
    pre: [
      ...CAPTURED.map((v) => `pm.collectionVariables.unset(${JSON.stringify(v)});`),
      set('runTag', 'Date.now().toString(36)'),
    ],
    test: [
      ...ok(200, 'PluginInfo'),
      "pm.test('the image and the icon are PNG data URLs', function () { var b = pm.response.json(); pm.expect(b.imageUrl).to.match(/^data:image\\/png;base64,/); pm.expect(b.iconUrl).to.match(/^data:image\\/png;base64,/); });",
      set('pluginId', 'pm.response.json().id'),
    ],
  }),
]);

export const session = folder(
  'Session',
  'POST /session logs in to the array named in the body, with its credentials as HTTP Basic (or in the body). The session id goes into {{sessionId}}, which every later request sends as x-storageplugin-sessionid.',
  [
    request({
      name: 'Log in (HTTP Basic)',
      method: 'POST',
      path: '/session',
      auth: 'basic',
      raw: `{\n  ${target}\n}`,
      test: [
        ...ok(201, 'SessionCreated'),
        "pm.test('Location names the session resource', function () { pm.expect(pm.response.headers.get('Location')).to.match(/\\/session$/); });",
        ...onSuccess([
          set('sessionId', 'pm.response.json().sessionId'),
          set('storageId', 'pm.response.json().storageId'),
        ]),
      ],
    }),
    request({
      name: 'Log in with the credentials in the body',
      method: 'POST',
      path: '/session',
      auth: 'none',
      raw: `{\n  ${target},\n  "username": "{{username}}",\n  "password": "{{password}}"\n}`,
      test: [
        ...ok(201, 'SessionCreated'),
        `pm.test('a new session id, the same storage id', function () { pm.expect(pm.response.json().sessionId).to.not.eql(${get('sessionId')}); pm.expect(pm.response.json().storageId).to.eql(${get('storageId')}); });`,
        set('extraSessionId', 'pm.response.json().sessionId'),
      ],
    }),
    request({
      name: 'Log out the second session',
      method: 'DELETE',
      path: '/session',
      auth: { session: '{{extraSessionId}}' },
      test: noBody(204),
    }),
    request({
      name: 'Wrong credentials answer 401',
      method: 'POST',
      path: '/session',
      auth: 'none',
      raw: `{\n  ${target},\n  "username": "{{username}}",\n  "password": "{{password}}-not-it"\n}`,
      test: error(401, 'UNAUTHORIZED'),
    }),
  ],
);

export const storage = folder('Storage', 'GET /storage: the array the session was opened on.', [
  request({
    name: 'Storage of the session',
    method: 'GET',
    path: '/storage',
    test: [
      ...ok(200, 'Storage'),
      `pm.test('its id is the session storage id, its pluginId the plugin id', function () { pm.expect(pm.response.json().id).to.eql(${get('storageId')}); pm.expect(pm.response.json().pluginId).to.eql(${get('pluginId')}); });`,
      set('serverId', 'pm.response.json().serverIds[0]'),
    ],
  }),
]);

export const servers = folder(
  'Servers',
  'The storage servers (a single server "0" where the array has no virtual servers), with the supports/config flags that say which features it has.',
  [
    request({
      name: 'Servers',
      method: 'GET',
      path: '/server',
      test: [
        ...ok(200, 'ServerList'),
        `pm.test('the storage server is listed', function () { pm.expect(pm.response.json().servers.map(function (s) { return s.id; })).to.include(${get('serverId')}); });`,
      ],
    }),
    request({
      name: 'The server and its flags',
      method: 'GET',
      path: '/server/{{serverId}}',
      test: [
        ...ok(200, 'Server'),
        `pm.test('it is the server asked for', function () { pm.expect(pm.response.json().id).to.eql(${get('serverId')}); });`,
        // The flags decide below whether a feature must work or must answer 501.
        set('serverFlags', 'JSON.stringify(Object.assign({}, pm.response.json().supports, pm.response.json().config))'),
      ],
    }),
    request({
      name: 'System figures',
      method: 'GET',
      path: '/server/{{serverId}}/system',
      test: ok(200, 'SystemInfo'),
    }),
  ],
);

export const pools = folder('Pools and networks', 'Where volumes live, and how hosts reach the array.', [
  request({
    name: 'Pools',
    method: 'GET',
    path: '/server/{{serverId}}/pool',
    test: [
      ...ok(200, 'PoolList'),
      "pm.test('there is a pool', function () { pm.expect(pm.response.json().pools).to.not.be.empty; });",
      ...onSuccess([set('poolId', 'pm.response.json().pools[0].id')]),
    ],
  }),
  request({
    name: 'A pool',
    method: 'GET',
    path: '/server/{{serverId}}/pool/{{poolId}}',
    pre: skipUnless(get('poolId'), 'no pool'),
    test: [
      ...ok(200, 'Pool'),
      `pm.test('it is the pool asked for', function () { pm.expect(pm.response.json().id).to.eql(${get('poolId')}); });`,
    ],
  }),
  request({
    name: 'Networks',
    method: 'GET',
    path: '/server/{{serverId}}/network',
    test: [
      ...ok(200, 'NetworkList'),
      "if (pm.response.code === 200 && pm.response.json().networks.length) { pm.collectionVariables.set('networkId', pm.response.json().networks[0].id); }",
    ],
  }),
  request({
    name: 'A network',
    method: 'GET',
    path: '/server/{{serverId}}/network/{{networkId}}',
    pre: skipUnless(get('networkId'), 'no network'),
    test: [
      ...ok(200, 'Network'),
      `pm.test('it is the network asked for', function () { pm.expect(pm.response.json().id).to.eql(${get('networkId')}); });`,
    ],
  }),
]);

export const volumes = folder(
  'Volumes',
  'The volumes of the server; the first one is used by the snapshot and action requests that follow.',
  [
    request({
      name: 'Volumes',
      method: 'GET',
      path: '/server/{{serverId}}/volume',
      test: [
        ...ok(200, 'VolumeList'),
        "pm.test('there is a volume', function () { pm.expect(pm.response.json().volumes).to.not.be.empty; });",
        ...onSuccess([
          set('volumeId', 'pm.response.json().volumes[0].id'),
          set('volumeIds', 'JSON.stringify(pm.response.json().volumes.map(function (v) { return v.id; }))'),
        ]),
      ],
    }),
    request({
      name: 'A page of volumes',
      method: 'GET',
      path: '/server/{{serverId}}/volume?limit=1&start=0',
      test: [
        ...ok(200, 'VolumeList'),
        `pm.test('one volume: the first', function () { var v = pm.response.json().volumes; pm.expect(v.length).to.eql(1); pm.expect(v[0].id).to.eql(${get('volumeId')}); });`,
      ],
    }),
    request({
      name: 'A volume',
      method: 'GET',
      path: '/server/{{serverId}}/volume/{{volumeId}}',
      test: [
        ...ok(200, 'Volume'),
        `pm.test('it is the volume asked for', function () { pm.expect(pm.response.json().id).to.eql(${get('volumeId')}); });`,
        set('volumePoolId', 'pm.response.json().poolId'),
        set('volumeRevert', 'String(pm.response.json().supports.revert)'),
      ],
    }),
    request({
      name: 'Split status of the volume',
      method: 'GET',
      path: '/server/{{serverId}}/volume/{{volumeId}}/splitstatus',
      test: okOrUnsupported(200, 'SplitStatus', null, 'split status'),
    }),
  ],
);

export const snapshots = folder(
  'Snapshots',
  'A snapshot of the first volume, taken by the collection and deleted at the end of the volume actions.',
  [
    request({
      name: 'Take a snapshot',
      method: 'POST',
      path: '/server/{{serverId}}/volume/{{volumeId}}/snapshot',
      raw: '{\n  "name": "postman_{{runTag}}"\n}',
      test: [
        ...ok(201, 'Snapshot'),
        `pm.test('it has the name asked for', function () { pm.expect(pm.response.json().name).to.eql('postman_' + ${get('runTag')}); });`,
        `pm.test('Location names the new snapshot', function () { pm.expect(pm.response.headers.get('Location')).to.match(new RegExp('/server/' + encodeURIComponent(${get('serverId')}) + '/volume/' + encodeURIComponent(${get('volumeId')}) + '/snapshot/' + encodeURIComponent(pm.response.json().id) + '$')); });`,
        ...onSuccess([set('snapshotId', 'pm.response.json().id')]),
      ],
    }),
    request({
      name: 'Snapshots of the volume',
      method: 'GET',
      path: '/server/{{serverId}}/volume/{{volumeId}}/snapshot',
      test: [
        ...ok(200, 'SnapshotList'),
        `pm.test('the new snapshot is listed', function () { pm.expect(pm.response.json().snapshots.map(function (s) { return s.id; })).to.include(${get('snapshotId')}); });`,
      ],
    }),
    request({
      name: 'The snapshot',
      method: 'GET',
      path: '/server/{{serverId}}/volume/{{volumeId}}/snapshot/{{snapshotId}}',
      test: [
        ...ok(200, 'Snapshot'),
        `pm.test('it is the snapshot taken', function () { pm.expect(pm.response.json().id).to.eql(${get('snapshotId')}); });`,
      ],
    }),
    request({
      name: 'Replication progress of the snapshot',
      method: 'POST',
      path: '/server/{{serverId}}/volume/{{volumeId}}/snapshot/{{snapshotId}}?action=get-Progress',
      body: {},
      // The snapshot was not taken with replicate: where replication is served the array says so (409).
      test: [
        `var served = ${flag('newSnapshotReplication')};`,
        "pm.test('get-Progress: the status, 409 CONFLICT for a snapshot never replicated, or 501 UNSUPPORTED where replication is not served', function () {",
        "  if (!served) { pm.response.to.have.status(501); pm.response.to.have.jsonSchema(S.Error); pm.expect(pm.response.json().error.type).to.eql('UNSUPPORTED'); }",
        "  else if (pm.response.code === 409) { pm.response.to.have.jsonSchema(S.Error); pm.expect(pm.response.json().error.type).to.eql('CONFLICT'); }",
        '  else { pm.response.to.have.status(200); pm.response.to.have.jsonSchema(S.SnapshotReplicationStatus); }',
        '});',
      ],
    }),
  ],
);

export const docs = folder(
  'The API as a page',
  'GET /docs: the spec as a page a person can browse. It needs no session.',
  [
    request({
      name: 'The API as a page',
      method: 'GET',
      path: '/docs',
      auth: 'none',
      accept: 'text/html',
      description: 'GET /docs: this API as a page a person can browse (Swagger UI, served by the plugin itself).',
      test: [
        "pm.test('an HTML page', function () { pm.response.to.have.status(200); pm.expect(pm.response.headers.get('Content-Type')).to.match(/^text\\/html/); });",
        "pm.test('its scripts come from the plugin', function () { pm.expect(pm.response.text()).to.include('docs/swagger-ui-bundle.js'); pm.expect(pm.response.text()).to.not.match(/https?:\\/\\//); });",
      ],
    }),
  ],
);
