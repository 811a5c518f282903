import { sandboxTwimlEngine } from './sandbox-twiml-engine';

describe('sandboxTwimlEngine', () => {
  it('should work', () => {
    expect(sandboxTwimlEngine()).toEqual('sandbox-twiml-engine');
  })
})
