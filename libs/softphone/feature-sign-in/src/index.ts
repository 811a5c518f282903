export { SignInPage } from './lib/sign-in-page';
export { signInRoutes } from './lib/sign-in.routes';
