import type { aws_ecs as ecs, aws_iam as iam } from 'aws-cdk-lib';

/**
 * Something that runs our code and can be given access: a Lambda function or a container of a
 * task. A resource construct's `bindTo(target)` sets the environment variable and the IAM grant
 * in one call, so they are never written twice by hand (STYLE §14).
 */
export interface BindTarget extends iam.IGrantable {
  addEnvironment(name: string, value: string): unknown;
}

/**
 * A container's binding: the variable goes on the container, the grant on the task role.
 * @example table.bindTo(containerTarget(bridgeContainer), 'readWrite')
 */
export function containerTarget(container: ecs.ContainerDefinition): BindTarget {
  return {
    grantPrincipal: container.taskDefinition.taskRole.grantPrincipal,
    addEnvironment: (name: string, value: string) => container.addEnvironment(name, value),
  };
}
