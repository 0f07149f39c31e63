import { ERROR_CATALOG } from '../../src/domain/errors';
import { loadSpec } from '../../src/http/spec';

describe('the error catalog and the spec', () => {
  it('lists exactly the error types the spec documents', () => {
    const spec = loadSpec() as unknown as { components: { schemas: { ErrorType: { enum: string[] } } } };
    expect([...spec.components.schemas.ErrorType.enum].sort()).toEqual(Object.keys(ERROR_CATALOG).sort());
  });

  it('gives every error type a client or server error status', () => {
    for (const [code, { status }] of Object.entries(ERROR_CATALOG)) {
      expect([code, status >= 400 && status < 600]).toEqual([code, true]);
    }
  });
});
