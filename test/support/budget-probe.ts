/**
 * The budget probe: three sequential Gong calls per run, the shape both the budget test and the budget
 * benchmark push through one company's limit.
 */
export function budgetProbeDefinition(name: string): string {
  return `
name: ${name}
version: 1
input:
  userId: { type: string }
steps:
  - { id: first, action: gong.users.get, with: { id: "\${{ input.userId }}" } }
  - { id: second, action: gong.users.get, with: { id: "\${{ input.userId }}" } }
  - { id: third, action: gong.users.get, with: { id: "\${{ input.userId }}" } }
output: \${{ steps.third.output.user.id }}
`;
}
