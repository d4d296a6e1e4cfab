import { runCaptured } from './steps.js';

/** What the demo needs on the machine besides Node, with how to get it. */
export interface Prerequisite {
  name: string;
  check: () => Promise<boolean>;
  install: string;
}

const ok = async (argv: string[]) => {
  try {
    return (await runCaptured(argv, {})).code === 0;
  } catch {
    return false;
  }
};

/** The aws CLI (what `tsh aws` runs) and python3 with boto3 (the guide's SDK example). */
export const prerequisites: Prerequisite[] = [
  { name: 'the aws CLI', check: () => ok(['aws', '--version']), install: 'sudo apt-get install -y awscli   (or see https://docs.aws.amazon.com/cli/)' },
  { name: 'python3 with boto3', check: () => ok(['python3', '-c', 'import boto3']), install: 'sudo apt-get install -y python3-boto3   (or: pip install boto3)' },
];

/** Names of the prerequisites that are missing, each with its install line. */
export async function missingPrerequisites(): Promise<Prerequisite[]> {
  const out: Prerequisite[] = [];
  for (const p of prerequisites) if (!(await p.check())) out.push(p);
  return out;
}
