// Validates Strimzi objects (JSON array on stdin) against the kafka.strimzi.io/v1beta2 CRD
// schemas compiled into @kubernetes-models/strimzi-kafka-operator (ESM only, hence a separate
// node process). Prints a JSON array of {object, message}.
import { Kafka } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/Kafka';
import { KafkaNodePool } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaNodePool';
import { KafkaTopic } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaTopic';
import { KafkaUser } from '@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/v1beta2/KafkaUser';

const MODELS = { Kafka, KafkaNodePool, KafkaTopic, KafkaUser };
let input = '';
for await (const chunk of process.stdin) input += chunk;
const findings = [];
for (const object of JSON.parse(input)) {
  const id = `${object.kind}/${object.metadata?.name}`;
  const Model = MODELS[object.kind];
  if (!Model) findings.push({ object: id, message: `no Strimzi schema for kind ${object.kind}` });
  else if (object.apiVersion !== 'kafka.strimzi.io/v1beta2') findings.push({ object: id, message: `apiVersion must be kafka.strimzi.io/v1beta2 (Strimzi 0.47), got ${object.apiVersion}` });
  else {
    try {
      new Model(object).validate();
    } catch (err) {
      findings.push({ object: id, message: err instanceof Error ? err.message : String(err) });
    }
  }
}
process.stdout.write(JSON.stringify(findings));
