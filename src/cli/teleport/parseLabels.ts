import { InvalidArgumentError } from 'commander';

/** `--labels env=prod,team=data` as a map (commander argument parser: a malformed pair is a usage error naming the flag). */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [k, ...v] = pair.split('=');
    if (!k.trim() || v.length === 0) throw new InvalidArgumentError(`"${pair}" is not key=value; write labels as key=value,key2=value2.`);
    labels[k.trim()] = v.join('=').trim();
  }
  return labels;
}
