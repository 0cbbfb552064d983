// Tenant globex-retail: a customer-support agent and a catalogue agent.
import type { AgentDef } from '../model.js';
import { rngFor } from '../random.js';
import { rateLimit, requireEnum, requireExisting, S, type ToolDef } from '../tools.js';
import { CITIES, email, enumSlot, idSlot, isoDate, phrase, prefixedId, slot } from '../values.js';

const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
const CHANNELS = ['web', 'app', 'marketplace'] as const;
const WAREHOUSES = ['ams', 'fra', 'dub'] as const;
const STREETS = ['Harbour Road', 'Elm Street', 'Rua Augusta', 'King Street', 'Mill Lane', 'Station Avenue'];

const supportTools: ToolDef[] = [
  {
    name: 'get_order', errors: ['RATE_LIMIT'],
    description: 'Look up an order',
    parameters: S.obj({ orderId: S.str() }),
    run(p, world) {
      requireExisting(p.orderId, 'order');
      rateLimit(world, 'get_order', p);
      const r = rngFor('order', p);
      return {
        order: {
          id: p.orderId,
          status: r.pick(['shipped', 'packed', 'delivered']),
          total: r.int(10, 600) + 0.99,
          customer: { id: prefixedId('C', 4)(r), email: email(r) },
          shipment: { carrier: r.pick(['DHL', 'UPS', 'PostNL']), trackingRef: `TR${r.digits(10)}` },
        },
      };
    },
  },
  {
    name: 'get_tracking',
    description: 'Track a shipment',
    parameters: S.obj({ trackingRef: S.str() }),
    run: (p) => ({ tracking: { status: rngFor('track', p).pick(['in_transit', 'out_for_delivery']), eta: isoDate(rngFor('eta', p)) } }),
  },
  {
    name: 'send_email',
    description: 'Send a templated email to a customer',
    parameters: S.obj({ to: S.email(), template: S.str(), orderId: S.str() }),
    run: (p) => ({ messageId: prefixedId('MSG', 8)(rngFor('mail', p)) }),
  },
  {
    name: 'lookup_customer',
    description: 'Find a customer by email',
    parameters: S.obj({ email: S.email() }),
    run: (p) => ({ customer: { id: prefixedId('C', 4)(rngFor('customer', p)), tier: rngFor('tier', p).pick(['gold', 'silver', 'basic']) } }),
  },
  {
    name: 'create_refund',
    description: 'Refund an order',
    parameters: S.obj({ orderId: S.str(), amount: S.num(), reason: S.str() }),
    run: (p) => ({ refund: { id: prefixedId('RF', 6)(rngFor('refund', p)), status: 'issued' } }),
  },
  {
    name: 'create_ticket', errors: ['ENUM_CASE'],
    description: 'Open a support ticket',
    parameters: S.obj({ customerId: S.str(), priority: S.oneOf(PRIORITIES), summary: S.str() }),
    run(p) {
      requireEnum(p.priority, 'priority', PRIORITIES);
      return { ticket: { id: prefixedId('TK', 5)(rngFor('ticket', p)), state: 'open' } };
    },
  },
  {
    name: 'assign_ticket',
    description: 'Assign a ticket to a team',
    parameters: S.obj({ ticketId: S.str(), team: S.str() }),
    run: (p) => ({ assignment: { ticketId: p.ticketId, team: p.team } }),
  },
  {
    name: 'update_address',
    description: "Change an order's delivery address",
    parameters: S.obj({ orderId: S.str(), address: S.obj({ street: S.str(), city: S.str() }) }),
    run: (p) => ({ order: { id: p.orderId, addressVersion: rngFor('addr', p).int(2, 9) } }),
  },
  { name: 'search_kb', description: 'Search the knowledge base', exploration: true, parameters: S.obj({ q: S.str() }), run: (p) => ({ articles: rngFor('kb', p).int(0, 5) }) },
  { name: 'get_macros', description: 'List reply macros', exploration: true, parameters: S.obj({}), run: () => ({ macros: ['greeting', 'closing'] }) },
];

/** The support agent: order status, refunds, escalations, address changes. Sends task ids. */
export const supportBot: AgentDef = {
  tenantId: 'globex-retail',
  agentId: 'support-bot',
  description: 'Answers customers about their orders',
  model: 'gpt-4o',
  sendsTaskIds: true,
  tools: supportTools,
  context: [],
  workflows: [
    {
      id: 'support.order_status',
      description: 'Look up an order, track it, email the status',
      queries: ['Where is my order {orderId}?', 'Can you tell me the status of order {orderId}', 'Order {orderId} has not arrived yet, any news?'],
      slots: [idSlot('orderId', 'ORD', 5)],
      steps: [
        { tool: 'get_order', params: { orderId: { kind: 'query', slot: 'orderId' } } },
        { tool: 'get_tracking', params: { trackingRef: { kind: 'step', step: 0, path: 'order.shipment.trackingRef' } } },
        { tool: 'send_email', params: { to: { kind: 'step', step: 0, path: 'order.customer.email' }, template: { kind: 'constant', value: 'order_status' }, orderId: { kind: 'query', slot: 'orderId' } } },
      ],
      failVia: 'orderId',
    },
    {
      id: 'support.refund',
      description: 'Find the customer, check the order, refund it, confirm',
      queries: ['I want a refund for order {orderId}, my email is {email}', 'Please refund {orderId} ({email})', 'Refund order {orderId} for customer {email}'],
      slots: [idSlot('orderId', 'ORD', 5), slot('email', S.email(), email)],
      steps: [
        { tool: 'lookup_customer', params: { email: { kind: 'query', slot: 'email' } } },
        { tool: 'get_order', params: { orderId: { kind: 'query', slot: 'orderId' } } },
        { tool: 'create_refund', params: { orderId: { kind: 'query', slot: 'orderId' }, amount: { kind: 'step', step: 1, path: 'order.total' }, reason: { kind: 'constant', value: 'customer_request' } } },
        { tool: 'send_email', params: { to: { kind: 'query', slot: 'email' }, template: { kind: 'constant', value: 'refund_confirmation' }, orderId: { kind: 'query', slot: 'orderId' } } },
      ],
      failVia: 'orderId',
    },
    {
      id: 'support.escalate',
      description: 'Open a ticket for a customer and hand it to tier 2',
      queries: ['Escalate this for {email} with {priority} priority', 'Customer {email} needs a {priority} priority ticket', 'Open a {priority} ticket for {email} and pass it to second line'],
      slots: [slot('email', S.email(), email), enumSlot('priority', PRIORITIES)],
      steps: [
        { tool: 'lookup_customer', params: { email: { kind: 'query', slot: 'email' } } },
        { tool: 'create_ticket', params: { customerId: { kind: 'step', step: 0, path: 'customer.id' }, priority: { kind: 'query', slot: 'priority' }, summary: { kind: 'generated', slot: 'summary', make: (r) => phrase(r) } } },
        { tool: 'assign_ticket', params: { ticketId: { kind: 'step', step: 1, path: 'ticket.id' }, team: { kind: 'constant', value: 'tier2' } } },
      ],
      mistakes: [{ kind: 'ENUM_CASE', step: 1, param: 'priority' }],
    },
    {
      id: 'support.change_address',
      description: "Change an order's delivery address and confirm",
      queries: ['Please ship order {orderId} to my new address in {city}', 'I moved to {city}, update the address of {orderId}', 'Change the delivery city of {orderId} to {city}'],
      slots: [idSlot('orderId', 'ORD', 5), enumSlot('city', CITIES.slice(6))],
      steps: [
        { tool: 'get_order', params: { orderId: { kind: 'query', slot: 'orderId' } } },
        { tool: 'update_address', params: { orderId: { kind: 'query', slot: 'orderId' }, 'address.street': { kind: 'generated', slot: 'street', make: (r) => `${r.int(1, 300)} ${r.pick(STREETS)}` }, 'address.city': { kind: 'query', slot: 'city' } } },
        { tool: 'send_email', params: { to: { kind: 'step', step: 0, path: 'order.customer.email' }, template: { kind: 'constant', value: 'address_updated' }, orderId: { kind: 'query', slot: 'orderId' } } },
      ],
      failVia: 'orderId',
    },
  ],
};

const catalogTools: ToolDef[] = [
  {
    name: 'get_product',
    description: 'Read a product',
    parameters: S.obj({ sku: S.str() }),
    run(p) {
      requireExisting(p.sku, 'product');
      const r = rngFor('product', p);
      return { product: { sku: p.sku, title: `Item ${r.alnum(5)}`, price: r.int(5, 300) + 0.99, supplierId: prefixedId('SUP', 3)(r), category: r.pick(['toys', 'garden', 'audio']) } };
    },
  },
  {
    name: 'update_price',
    description: 'Set the price of a product',
    parameters: S.obj({ sku: S.str(), price: S.num(), currency: S.str() }),
    run: (p) => ({ product: { sku: p.sku, price: p.price, revision: rngFor('rev', p).int(2, 40) } }),
  },
  {
    name: 'publish_listing', errors: ['ENUM_CASE'],
    description: 'Publish a product on a sales channel',
    parameters: S.obj({ sku: S.str(), channel: S.oneOf(CHANNELS) }),
    run(p) {
      requireEnum(p.channel, 'channel', CHANNELS);
      const id = prefixedId('LS', 6)(rngFor('listing', p));
      return { listing: { id, url: `https://shop.example.test/l/${id}` } };
    },
  },
  {
    name: 'check_inventory', errors: ['RATE_LIMIT'],
    description: 'Stock of a product in a warehouse',
    parameters: S.obj({ sku: S.str(), warehouse: S.oneOf(WAREHOUSES) }),
    run(p, world) {
      requireExisting(p.sku, 'product');
      requireEnum(p.warehouse, 'warehouse', WAREHOUSES);
      rateLimit(world, 'check_inventory', p);
      const r = rngFor('stock', p);
      return { inventory: { onHand: r.int(0, 40), reorderPoint: 50 } };
    },
  },
  {
    name: 'reorder_stock',
    description: 'Order stock from the supplier',
    parameters: S.obj({ sku: S.str(), quantity: S.int(), supplierId: S.str() }),
    run: (p) => ({ purchaseOrder: { id: prefixedId('PO', 6)(rngFor('po', p)), eta: isoDate(rngFor('po-eta', p)) } }),
  },
  { name: 'notify_team', description: 'Post to a team channel', parameters: S.obj({ channel: S.str(), ref: S.str() }), run: () => ({ posted: true }) },
  {
    name: 'get_price_history',
    description: 'Price statistics of a product',
    parameters: S.obj({ sku: S.str(), days: S.int() }),
    run(p) {
      const r = rngFor('history', p);
      return { stats: { mean: r.int(5, 300) + 0.5, zScore: r.int(-300, 300) / 100 + 0.005 } };
    },
  },
  {
    name: 'flag_anomaly',
    description: 'Flag a pricing anomaly',
    parameters: S.obj({ sku: S.str(), score: S.num() }),
    run: (p) => ({ flag: { id: prefixedId('AN', 6)(rngFor('anomaly', p)) } }),
  },
  { name: 'list_categories', description: 'List catalogue categories', exploration: true, parameters: S.obj({}), run: () => ({ categories: ['toys', 'garden', 'audio'] }) },
  { name: 'search_catalog', description: 'Full-text catalogue search', exploration: true, parameters: S.obj({ q: S.str() }), run: (p) => ({ results: rngFor('cat', p).int(0, 30) }) },
];

/** The catalogue agent: prices, stock and audits. */
export const catalogBot: AgentDef = {
  tenantId: 'globex-retail',
  agentId: 'catalog-bot',
  description: 'Maintains the product catalogue',
  model: 'gpt-4o-mini',
  sendsTaskIds: false,
  tools: catalogTools,
  context: [],
  workflows: [
    {
      id: 'catalog.reprice',
      description: 'Change a price and publish the listing',
      queries: ['Set the price of {sku} to {price} and publish it on {channel}', 'Reprice {sku} at {price}, then list it on {channel}', 'New price for {sku}: {price}. Publish to {channel}.'],
      slots: [idSlot('sku', 'SKU', 6), slot('price', S.num(), (r) => r.int(5, 250) + 0.99), enumSlot('channel', CHANNELS)],
      steps: [
        { tool: 'get_product', params: { sku: { kind: 'query', slot: 'sku' } } },
        { tool: 'update_price', params: { sku: { kind: 'query', slot: 'sku' }, price: { kind: 'query', slot: 'price' }, currency: { kind: 'constant', value: 'USD' } } },
        { tool: 'publish_listing', params: { sku: { kind: 'query', slot: 'sku' }, channel: { kind: 'query', slot: 'channel' } } },
      ],
      mistakes: [{ kind: 'ENUM_CASE', step: 2, param: 'channel' }],
      failVia: 'sku',
    },
    {
      id: 'catalog.restock',
      description: 'Check stock, reorder from the supplier, tell the team',
      queries: ['Restock {sku} in {warehouse}: order {quantity} units', 'We are low on {sku} at {warehouse}, reorder {quantity}', 'Order {quantity} more {sku} for the {warehouse} warehouse'],
      slots: [idSlot('sku', 'SKU', 6), enumSlot('warehouse', WAREHOUSES), slot('quantity', S.int(), (r) => r.int(2, 50) * 10)],
      steps: [
        { tool: 'check_inventory', params: { sku: { kind: 'query', slot: 'sku' }, warehouse: { kind: 'query', slot: 'warehouse' } } },
        { tool: 'get_product', params: { sku: { kind: 'query', slot: 'sku' } } },
        { tool: 'reorder_stock', params: { sku: { kind: 'query', slot: 'sku' }, quantity: { kind: 'query', slot: 'quantity' }, supplierId: { kind: 'step', step: 1, path: 'product.supplierId' } } },
        { tool: 'notify_team', params: { channel: { kind: 'constant', value: '#inventory' }, ref: { kind: 'step', step: 2, path: 'purchaseOrder.id' } } },
      ],
      failVia: 'sku',
    },
    {
      id: 'catalog.price_audit',
      description: 'Compare a price with its history and flag anomalies',
      queries: ['Audit the price of {sku}', 'Is the price of {sku} unusual? Flag it', 'Run a price anomaly check on {sku}'],
      slots: [idSlot('sku', 'SKU', 6)],
      steps: [
        { tool: 'get_product', params: { sku: { kind: 'query', slot: 'sku' } } },
        { tool: 'get_price_history', params: { sku: { kind: 'query', slot: 'sku' }, days: { kind: 'constant', value: 30 } } },
        { tool: 'flag_anomaly', params: { sku: { kind: 'query', slot: 'sku' }, score: { kind: 'step', step: 1, path: 'stats.zScore' } } },
      ],
      failVia: 'sku',
    },
  ],
};
