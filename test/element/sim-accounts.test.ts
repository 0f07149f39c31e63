// Element simulator: the tenant account methods a client uses (AddAccount, GetAccountByID, GetAccountByName,
// ListAccounts, ModifyAccount, RemoveAccount), with Element's error names.
import { type Sim, startSim } from './sim-helpers';

describe('Element simulator: accounts', () => {
  let sim: Sim;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  it('AddAccount answers the account; GetAccountByID, GetAccountByName and ListAccounts show the same object', async () => {
    const added = await sim.ok('AddAccount', {
      username: 'acct-a',
      initiatorSecret: 'abcdefghijkl',
      enableChap: false,
    });
    expect(added.account).toMatchObject({
      accountID: added.accountID,
      username: 'acct-a',
      status: 'active',
      volumes: [],
      initiatorSecret: 'abcdefghijkl',
      targetSecret: expect.any(String),
      attributes: {},
      enableChap: false,
      storageContainerID: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect((await sim.ok('GetAccountByID', { accountID: added.accountID })).account).toEqual(added.account);
    expect((await sim.ok('GetAccountByName', { username: 'acct-a' })).account).toEqual(added.account);
    expect((await sim.ok('ListAccounts')).accounts).toContainEqual(added.account);
    expect((await sim.err('AddAccount', { username: 'acct-a' })).name).toBe('xDuplicateUsername');
  });

  it('ModifyAccount changes only what it is given and answers the account', async () => {
    const { accountID } = await sim.ok('AddAccount', { username: 'acct-m', attributes: { team: 'x' } });
    const before = (await sim.ok('GetAccountByID', { accountID })).account;
    const r = await sim.ok('ModifyAccount', {
      accountID,
      username: 'acct-m2',
      status: 'locked',
      targetSecret: 'targetsecret1',
    });
    expect(r.account).toMatchObject({
      accountID,
      username: 'acct-m2',
      status: 'locked',
      targetSecret: 'targetsecret1',
      initiatorSecret: before.initiatorSecret,
      attributes: { team: 'x' },
    });
    expect((await sim.ok('GetAccountByName', { username: 'acct-m2' })).account.accountID).toBe(accountID);
    expect((await sim.err('GetAccountByName', { username: 'acct-m' })).name).toBe('xUnknownAccount');
    expect((await sim.err('ModifyAccount', { accountID, initiatorSecret: 'short' })).name).toBe('xInvalidParameter');
    await sim.ok('AddAccount', { username: 'acct-taken' });
    expect((await sim.err('ModifyAccount', { accountID, username: 'acct-taken' })).name).toBe('xDuplicateUsername');
    expect((await sim.err('ModifyAccount', { accountID: 999999, username: 'x' })).name).toBe('xAccountIDDoesNotExist');
  });

  it('RemoveAccount removes an account without volumes; one with volumes (deleted ones until purged) is refused', async () => {
    const { accountID } = await sim.ok('AddAccount', { username: 'acct-r' });
    const { volumeID } = await sim.ok('CreateVolume', { name: 'acct-r-vol', accountID, totalSize: 1024 ** 3 });
    expect((await sim.err('RemoveAccount', { accountID })).name).toBe('xAccountHasVolumes');
    await sim.ok('DeleteVolume', { volumeID });
    expect((await sim.err('RemoveAccount', { accountID })).message).toMatch(/PurgeDeletedVolume/);
    await sim.ok('PurgeDeletedVolume', { volumeID });
    expect(await sim.ok('RemoveAccount', { accountID })).toEqual({});
    expect((await sim.err('GetAccountByID', { accountID })).name).toBe('xAccountIDDoesNotExist');
    expect((await sim.err('RemoveAccount', { accountID })).name).toBe('xAccountIDDoesNotExist');
    expect((await sim.err('RemoveAccount', {})).name).toBe('xMissingParameter');
    // RemoveAccount exists since API 1.0.
    const old = await sim.rpc('RemoveAccount', { accountID }, { version: '1.0' });
    expect(old.body.error.name).toBe('xAccountIDDoesNotExist');
  });
});
