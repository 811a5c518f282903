export * from './lib/call-events.module';
export { CallReconciler, type ReconcilePass } from './lib/call-reconciler';
export { CallbackProcessor } from './lib/callback-processor';
