export { SignInForm } from './lib/sign-in-form/sign-in-form';
