import { route as r } from '../route';
import * as auth from '../contracts/auth';

export const authRoutes = [
  r('POST', '/v1/auth/signup', 'public', 'Create a tenant and its owner', {
    body: auth.SignupBody,
    response: auth.TokenPair,
    status: 201,
  }),
  r('POST', '/v1/auth/login', 'public', 'Exchange email and password for tokens', {
    body: auth.LoginBody,
    response: auth.TokenPair,
  }),
  r('POST', '/v1/auth/refresh', 'public', 'Rotate a refresh token', {
    body: auth.RefreshBody,
    response: auth.TokenPair,
  }),
  r('POST', '/v1/auth/logout', 'public', 'Revoke a refresh token family', {
    body: auth.LogoutBody,
    status: 204,
  }),
  r('GET', '/v1/me', 'viewer', 'Who am I', { response: auth.Me }),
] as const;
