/**
 * The SNS topic every HishamOS alarm notifies (TLS only). Operators subscribe to it; an e-mail
 * address passed as context `hishamos:alarmEmail` is subscribed at deploy.
 */
import { Validations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** @default no subscription */
  readonly email?: string;
}

export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'HishamOS alarms',
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names, states and metric values only, no data. CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer-managed key would add $1 a month to an idle deployment for no confidentiality gain.',
    });
  }
}
