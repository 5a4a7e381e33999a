/**
 * The budget probe: sequential Gong calls per run (three unless told), the shape both the budget test and
 * the budget benchmark push through one company's limit.
 */
export function budgetProbeDefinition(name: string, calls = 3): string {
  const steps = Array.from(
    { length: calls },
    (_, index) =>
      `  - { id: call${index + 1}, action: gong.users.get, with: { id: "\${{ input.userId }}" } }`,
  );
  return `
name: ${name}
version: 1
input:
  userId: { type: string }
steps:
${steps.join('\n')}
output: \${{ steps.call${calls}.output.user.id }}
`;
}
