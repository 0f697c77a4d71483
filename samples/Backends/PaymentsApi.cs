namespace Bffs.Backends;

/// <summary>The demo Payment service: list, read and create payments.</summary>
internal static class PaymentsApi
{
    private static readonly string[] Methods = ["card", "paypal", "bank-transfer"];

    public static void MapPaymentsApi(this IEndpointRouteBuilder app)
    {
        var payments = app.MapGroup("/api/payments");

        payments.MapGet("/", (DemoStore store, int? orderId, int? userId) =>
            TypedResults.Ok(store.Payments
                .Where(p => orderId is null || p.OrderId == orderId)
                .Where(p => userId is null || p.UserId == userId)));

        payments.MapGet("/{id}", (DemoStore store, string id) =>
            int.TryParse(id, out var paymentId) && store.FindPayment(paymentId) is { } payment
                ? TypedResults.Ok(payment)
                : Problems.NotFound("Payment", id));

        payments.MapPost("/", (DemoStore store, TimeProvider time, CreatePaymentRequest request) => Create(store, time, request));

        // User-scoped (the gateway fills the user from the signed-in user's customer_id claim): another user's payment
        // is "not found"; a payment for another user's order is refused.
        var mine = app.MapGroup("/api/users/{userId}/payments");
        mine.MapGet("/", (DemoStore store, string userId) =>
            TypedResults.Ok(store.Payments.Where(p => int.TryParse(userId, out var user) && p.UserId == user)));
        app.MapGet("/api/users/{userId}/orders/{orderId}/payments", (DemoStore store, string userId, string orderId) =>
            TypedResults.Ok(store.Payments.Where(p => int.TryParse(userId, out var user) && p.UserId == user
                && int.TryParse(orderId, out var order) && p.OrderId == order)));
        mine.MapGet("/{id}", (DemoStore store, string userId, string id) =>
            int.TryParse(userId, out var user) && int.TryParse(id, out var paymentId) && store.FindPayment(paymentId) is { } payment && payment.UserId == user
                ? TypedResults.Ok(payment)
                : Problems.NotFound("Payment", id));
        mine.MapPost("/", (DemoStore store, TimeProvider time, string userId, CreatePaymentRequest request) =>
        {
            if (!int.TryParse(userId, out var user) || user <= 0) return Problems.Invalid("userId", "userId must be a positive user id.");
            if (store.FindOrder(request.OrderId) is { } order && order.UserId != user) return Problems.NotFound("Order", request.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return Create(store, time, request with { UserId = user });
        });
    }

    private static IResult Create(DemoStore store, TimeProvider time, CreatePaymentRequest request)
    {
        if (request.OrderId <= 0)
        {
            return Problems.Invalid("orderId", "orderId must be a positive order id.");
        }

        if (request.Amount <= 0)
        {
            return Problems.Invalid("amount", "amount must be greater than zero.");
        }

        var method = string.IsNullOrWhiteSpace(request.Method) ? "card" : request.Method.ToLowerInvariant();
        if (!Methods.Contains(method))
        {
            return Problems.Invalid("method", $"method must be one of {string.Join(", ", Methods)}.");
        }

        // The order may live in another process (Service=orders), so only seed/local orders can fill in the user.
        var order = store.FindOrder(request.OrderId);
        var payment = store.AddPayment(id => new Payment(
            id,
            request.OrderId,
            request.UserId ?? order?.UserId ?? 0,
            request.Amount,
            request.Currency?.ToUpperInvariant() ?? order?.Currency ?? "EUR",
            "captured",
            method,
            time.GetUtcNow()));
        return TypedResults.Created($"/api/payments/{payment.Id}", payment);
    }
}
