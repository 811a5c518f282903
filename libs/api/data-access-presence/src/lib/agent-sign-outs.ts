import { Injectable, Logger } from '@nestjs/common';

/** Called with the identity of an agent who just signed out. */
export type SignOutListener = (identity: string, now: Date) => Promise<void>;

/**
 * Sign-out, announced from the feature that ends sessions (api-feature-auth) to the ones that react
 * (api-feature-availability: presence removed, state offline), which may not import each other. Best
 * effort: a listener that fails is logged and never fails the sign-out itself.
 */
@Injectable()
export class AgentSignOuts {
  private readonly logger = new Logger('AgentSignOuts');
  private readonly listeners = new Set<SignOutListener>();

  /** Registers a listener; the function returned removes it. */
  listen(listener: SignOutListener): () => void {
    const own: SignOutListener = (identity, now) => listener(identity, now);
    this.listeners.add(own);
    return () => {
      this.listeners.delete(own);
    };
  }

  /** Runs every listener (together) and resolves when all have finished. */
  async signedOut(identity: string, now = new Date()): Promise<void> {
    await Promise.all([...this.listeners].map(async (listener) => {
      try {
        await listener(identity, now);
      } catch (error) {
        this.logger.error(`A sign-out listener failed for ${identity}: ${(error as Error).message}`);
      }
    }));
  }
}
