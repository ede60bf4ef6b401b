/** The budgets vendors report, kept per connection (the admin's view of the vendor's own count). */
import type { DataSource } from 'typeorm';
import type { VendorBudget } from '../../connectors/sdk/rate-limiter';
import { ConnectionEntity } from './connection.entity';

/** Replaces the budgets of `connectionId` by name with the newer figures of `budgets`. */
export async function recordVendorBudgets(
  dataSource: DataSource,
  connectionId: string,
  budgets: readonly VendorBudget[],
): Promise<void> {
  if (budgets.length === 0) return;
  await dataSource.transaction(async (manager) => {
    const row = await manager.findOne(ConnectionEntity, {
      where: { id: connectionId },
      select: { id: true, vendorBudgets: true },
      lock: { mode: 'pessimistic_write' },
    });
    if (row === null) return;
    const byName = new Map((row.vendorBudgets ?? []).map((budget) => [budget.name, budget]));
    for (const budget of budgets) {
      const known = byName.get(budget.name);
      if (known === undefined || known.observedAt <= budget.observedAt)
        byName.set(budget.name, budget);
    }
    // Not through the entity: a vendor's figures are no edit of the connection (updated_at stays).
    const sorted = [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
    await manager.query(`UPDATE "connections" SET "vendor_budgets" = $2::jsonb WHERE "id" = $1`, [
      connectionId,
      JSON.stringify(sorted),
    ]);
  });
}
