export { CallControlModule } from './lib/call-control.module';
