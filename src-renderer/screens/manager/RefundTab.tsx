// Refunds in the manager area: the manager's session authorises them (RefundPanel).
import { RefundPanel } from '../RefundPanel';

export function RefundTab({ initialTransactionId }: { initialTransactionId?: string }) {
  return <RefundPanel mode="manager" {...(initialTransactionId ? { initialTransactionId } : {})} />;
}
