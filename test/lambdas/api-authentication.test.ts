import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { authenticationOf } from '../../lambdas/api/authentication.js';

const event = (authorizer?: unknown) => ({ requestContext: { http: { method: 'POST' }, requestId: 'r', ...(authorizer === undefined ? {} : { authorizer }) } }) as unknown as APIGatewayProxyEventV2;

describe('identity in the API Lambda', () => {
  it('takes the caller from the JWT authorizer claims, groups flattened by API Gateway', () => {
    const auth = authenticationOf(event({ jwt: { claims: { sub: 'a1', username: 'jane.smith', 'cognito:groups': '[risk_manager]', iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X' }, scopes: null } }));
    expect(auth).toEqual({ kind: 'authenticated', identity: { user: 'jane.smith', roles: ['risk_manager'], issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_X', tokenId: undefined } });
  });

  it('is anonymous on a route without the authorizer and refuses claims it cannot read', () => {
    expect(authenticationOf(event())).toEqual({ kind: 'anonymous' });
    expect(authenticationOf(event({ jwt: { claims: { username: 'x' } } })).kind).toBe('rejected');
  });
});
