import { CfnOutput, Duration, RemovalPolicy, aws_cognito as cognito } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Construct } from 'constructs';
import type { EnvName } from '../config/schema.js';

export interface OperatorDirectoryProps {
  readonly envName: EnvName;
  /** The roles of lib/core/auth/roles.ts: one Cognito group each (the token's `cognito:groups`). */
  readonly roles: ReadonlyArray<string>;
  /** Keep users when the stack goes (prod); dev pools may be destroyed. */
  readonly retain: boolean;
}

/**
 * The people who may operate TradeOps in one environment: a Cognito user pool whose groups are the
 * route table's roles, an app client for the ops CLI, and the API Gateway JWT authorizer that
 * verifies their tokens before the API Lambda runs. The Lambda still checks each route's roles
 * from the token's groups (lib/api/dispatch.ts), the same check the local runtime makes.
 *
 * Decisions: no self sign-up (an admin creates people: `aws cognito-idp admin-create-user` and
 * `admin-add-user-to-group`); TOTP MFA required; Plus tier with full threat protection (a kill
 * switch and an unlock are worth an adaptive check); one-hour access tokens, so a removed group
 * stops working within the hour; refresh tokens revocable.
 */
export class OperatorDirectory extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: OperatorDirectoryProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'Pool', {
      userPoolName: `tradeops-${props.envName}-operators`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: { minLength: 14, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true, tempPasswordValidity: Duration.days(3) },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const role of props.roles) {
      new cognito.UserPoolGroup(this, `Group-${role}`, { userPool: this.userPool, groupName: role, description: `TradeOps role ${role} (lib/core/auth/roles.ts)` });
    }
    this.client = this.userPool.addClient('OpsCli', {
      userPoolClientName: `tradeops-${props.envName}-ops-cli`,
      generateSecret: false,
      // SRP for tools that speak it; USER_PASSWORD for `aws cognito-idp initiate-auth` (MFA still applies).
      authFlows: { userSrp: true, userPassword: true },
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
    });
    // Access tokens carry `client_id` (no `aud`); API Gateway's JWT authorizer accepts either.
    this.authorizer = new HttpJwtAuthorizer('Operators', `https://cognito-idp.${this.userPool.stack.region}.amazonaws.com/${this.userPool.userPoolId}`, {
      jwtAudience: [this.client.userPoolClientId],
      authorizerName: `tradeops-${props.envName}-operators`,
    });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Operators user pool (groups = TradeOps roles)' });
    new CfnOutput(this, 'OpsCliClientId', { value: this.client.userPoolClientId, description: 'App client for the ops CLI: aws cognito-idp initiate-auth --client-id …' });
  }
}
