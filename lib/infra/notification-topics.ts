import { aws_iam as iam, aws_kms as kms, aws_sns as sns, aws_sns_subscriptions as subs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AUDIENCES, type Audience, type Contact } from '../config/schema.js';
import { RUNTIME_ENV } from '../config/runtime-env.js';
import type { BindTarget } from './binding.js';
import { acknowledgeWildcardAction } from './nag-acks.js';

export interface NotificationTopicsProps {
  readonly namePrefix: string;
  readonly topics: Readonly<Record<Audience, { readonly displayName: string }>>;
  readonly contacts: Readonly<Record<Audience, Contact>>;
  /** Subscribe each contact's email to its audience's topic (prod). @default false */
  readonly subscribeContactEmails?: boolean;
}

/**
 * One SNS topic per audience of the alerts catalog (oncall, risk_manager, compliance,
 * management), encrypted with one customer-managed key (rotated yearly) whose policy lets
 * CloudWatch alarms publish — the AWS-managed SNS key does not — so the Key Metrics alarms page
 * the same audiences the agents notify.
 */
export class NotificationTopics extends Construct {
  readonly topics: Readonly<Record<Audience, sns.Topic>>;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: NotificationTopicsProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,200}$/.test(props.namePrefix)) throw new Error(`NotificationTopics: invalid namePrefix "${props.namePrefix}"`);
    const key = new kms.Key(this, 'Key', { description: `${props.namePrefix} notification topics`, enableKeyRotation: true });
    key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.key = key;
    const entries = AUDIENCES.map((audience) => {
      const topic = new sns.Topic(this, `Topic-${audience}`, {
        topicName: `${props.namePrefix}-${audience.replace('_', '-')}`,
        displayName: props.topics[audience].displayName,
        masterKey: key,
        enforceSSL: true,
      });
      if (props.subscribeContactEmails === true) topic.addSubscription(new subs.EmailSubscription(props.contacts[audience].email));
      return [audience, topic] as const;
    });
    this.topics = Object.fromEntries(entries) as Record<Audience, sns.Topic>;
  }

  topicFor(audience: Audience): sns.Topic {
    return this.topics[audience];
  }

  /** Sets TRADEOPS_TOPIC_<AUDIENCE> for each audience and grants publish. */
  bindPublisher(target: BindTarget): void {
    for (const audience of AUDIENCES) {
      const topic = this.topics[audience];
      target.addEnvironment(`${RUNTIME_ENV.topicPrefix}${audience.toUpperCase()}`, topic.topicArn);
      topic.grantPublish(target);
    }
    this.key.grant(target, 'kms:Decrypt', 'kms:GenerateDataKey*');
    acknowledgeWildcardAction(target, 'kms:GenerateDataKey*', 'Publishing to the KMS-encrypted notification topics needs GenerateDataKey (and its WithoutPlaintext form) on the one topics key, which is the resource.');
  }
}
