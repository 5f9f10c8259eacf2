import { Aspects, Stack, Validations, aws_iam as iam } from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/**
 * Acknowledges ONE wildcard resource (AwsSolutions-IAM5) on the grantee's policies: exactly
 * `arn` (e.g. `bucket.arnForObjects('*')`, a table's `index/*`), rendered the way cdk-nag
 * renders it, with the reason. Any other wildcard in the same policy is still reported.
 * Runs as an aspect because the policy document is complete only once every grant was made.
 * `arn` must be resolvable inside the grantee's stack (no cross-stack token).
 * @example acknowledgeWildcardResource(fn, bucket.arnForObjects('*'), 'object-level access to one bucket')
 */
export function acknowledgeWildcardResource(grantee: iam.IGrantable, arn: string, reason: string): void {
  const principal: unknown = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) return;
  Aspects.of(principal).add({
    visit(node: IConstruct): void {
      if (!(node instanceof iam.CfnPolicy)) return;
      const finding = `Resource::${flattenCfnReference(Stack.of(node).resolve(arn))}`;
      Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
    },
  });
}

/**
 * Acknowledges ONE wildcard action (AwsSolutions-IAM5 `Action::…`) on the grantee's policies, with
 * the reason; other wildcards in the same policy are still reported. Same aspect mechanics as
 * `acknowledgeWildcardResource`.
 * @example acknowledgeWildcardAction(fn, 'kms:GenerateDataKey*', 'SNS publish to a CMK-encrypted topic needs the data-key family')
 */
export function acknowledgeWildcardAction(grantee: iam.IGrantable, action: string, reason: string): void {
  const principal: unknown = grantee.grantPrincipal;
  if (!Construct.isConstruct(principal)) return;
  Aspects.of(principal).add({
    visit(node: IConstruct): void {
      if (node instanceof iam.CfnPolicy) Validations.of(node).acknowledge({ id: `AwsSolutions-IAM5[Action::${action}]`, reason });
    },
  });
}
