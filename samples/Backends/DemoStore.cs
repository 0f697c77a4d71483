using System.Collections.Concurrent;

namespace Bffs.Backends;

/// <summary>In-memory orders and payments: the seed data plus whatever was POSTed since start.</summary>
internal sealed class DemoStore
{
    private readonly ConcurrentDictionary<int, Order> _orders = new(SeedData.Orders.ToDictionary(o => o.Id));
    private readonly ConcurrentDictionary<int, Payment> _payments = new(SeedData.Payments.ToDictionary(p => p.Id));
    private int _lastOrderId = SeedData.Orders.Max(o => o.Id);
    private int _lastPaymentId = SeedData.Payments.Max(p => p.Id);

    public IEnumerable<Order> Orders => _orders.Values.OrderBy(o => o.Id);

    public IEnumerable<Payment> Payments => _payments.Values.OrderBy(p => p.Id);

    public Order? FindOrder(int id) => _orders.GetValueOrDefault(id);

    public Payment? FindPayment(int id) => _payments.GetValueOrDefault(id);

    public Order AddOrder(Func<int, Order> create)
    {
        var order = create(Interlocked.Increment(ref _lastOrderId));
        _orders[order.Id] = order;
        return order;
    }

    public Payment AddPayment(Func<int, Payment> create)
    {
        var payment = create(Interlocked.Increment(ref _lastPaymentId));
        _payments[payment.Id] = payment;
        return payment;
    }
}
