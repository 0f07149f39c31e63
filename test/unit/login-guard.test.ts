// Failed logins are counted once for every instance, and each instance holds back at its own configured limit.
import { MemoryCoordinator } from '../../src/coordination/memory';
import { LoginGuard } from '../../src/http/rate-limit';

describe('LoginGuard', () => {
  const limits = (perClient: number) => ({ perClient, perArray: 1_000_000, windowSeconds: 60 });

  it('holds a client back once its failures reach the limit, with the seconds left in the window', async () => {
    const guard = new LoginGuard(new MemoryCoordinator(), limits(3));
    for (let i = 0; i < 2; i++) await guard.failed('198.51.100.7', 'vsnap:10.0.0.1:8900');
    await expect(guard.check('198.51.100.7', 'vsnap:10.0.0.1:8900')).resolves.toBeUndefined();
    await guard.failed('198.51.100.7', 'vsnap:10.0.0.1:8900');
    await expect(guard.check('198.51.100.7', 'vsnap:10.0.0.1:8900')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      retryAfter: expect.any(Number),
    });
    // Another client is not held back.
    await expect(guard.check('198.51.100.8', 'vsnap:10.0.0.1:8900')).resolves.toBeUndefined();
  });

  it('an instance configured with a higher limit is not held back by the failures a lower one stopped at', async () => {
    const shared = new MemoryCoordinator();
    const strict = new LoginGuard(shared, limits(2));
    const lenient = new LoginGuard(shared, limits(100));
    for (let i = 0; i < 3; i++) await strict.failed('198.51.100.9', 'ontap:10.0.0.2:443');
    await expect(strict.check('198.51.100.9', 'ontap:10.0.0.2:443')).rejects.toMatchObject({
      code: 'TOO_MANY_REQUESTS',
    });
    await expect(lenient.check('198.51.100.9', 'ontap:10.0.0.2:443')).resolves.toBeUndefined();
  });
});
