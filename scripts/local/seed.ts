// Owns the demo data `npm start` creates for a human trying the API. Placeholder: prints the URL.
export async function seedDemo(stack: { httpUrl: string; env: Record<string, string> }): Promise<void> {
  process.stdout.write(`payrail: API on ${stack.httpUrl}\n`);
}
