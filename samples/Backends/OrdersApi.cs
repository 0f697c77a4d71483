namespace Bffs.Backends;

/// <summary>The demo Order service: list, read and create orders, and a user's recent orders.</summary>
internal static class OrdersApi
{
    private const int RecentOrdersDefault = 5;

    public static void MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var orders = app.MapGroup("/api/orders");

        orders.MapGet("/", (DemoStore store, int? userId, string? status) =>
            TypedResults.Ok(store.Orders
                .Where(o => userId is null || o.UserId == userId)
                .Where(o => status is null || string.Equals(o.Status, status, StringComparison.OrdinalIgnoreCase))));

        orders.MapGet("/{id}", (DemoStore store, string id) =>
            int.TryParse(id, out var orderId) && store.FindOrder(orderId) is { } order
                ? TypedResults.Ok(order)
                : Problems.NotFound("Order", id));

        orders.MapPost("/", (DemoStore store, TimeProvider time, CreateOrderRequest request) => Create(store, time, request));

        // User-scoped: the user comes from the path, which the gateway fills from the signed-in user's customer_id
        // claim; an order of another user is "not found" (no hint that it exists).
        var mine = app.MapGroup("/api/users/{userId}/orders");
        mine.MapGet("/{id}", (DemoStore store, string userId, string id) =>
            int.TryParse(userId, out var user) && int.TryParse(id, out var orderId) && store.FindOrder(orderId) is { } order && order.UserId == user
                ? TypedResults.Ok(order)
                : Problems.NotFound("Order", id));
        mine.MapPost("/", (DemoStore store, TimeProvider time, string userId, CreateOrderRequest request) =>
            int.TryParse(userId, out var user) && user > 0
                ? Create(store, time, request with { UserId = user })
                : Problems.Invalid("userId", "userId must be a positive user id."));

        // Owned by the Order service although it lives under /api/users: the user's most recent orders first.
        mine.MapGet("/", (DemoStore store, string userId, int? limit) =>
            TypedResults.Ok(store.Orders
                .Where(o => int.TryParse(userId, out var id) && o.UserId == id)
                .OrderByDescending(o => o.CreatedAt)
                .Take(Math.Clamp(limit ?? RecentOrdersDefault, 1, 100))));
    }

    private static IResult Create(DemoStore store, TimeProvider time, CreateOrderRequest request)
    {
        if (request.UserId <= 0)
        {
            return Problems.Invalid("userId", "userId must be a positive user id.");
        }

        if (request.Items is not { Count: > 0 } items)
        {
            return Problems.Invalid("items", "An order needs at least one item.");
        }

        if (items.Any(i => string.IsNullOrWhiteSpace(i.Sku) || i.Quantity <= 0 || i.UnitPrice < 0))
        {
            return Problems.Invalid("items", "Every item needs a sku, a positive quantity and a non-negative unitPrice.");
        }

        var order = store.AddOrder(id => new Order(
            id,
            request.UserId,
            "pending",
            items,
            items.Sum(i => i.Quantity * i.UnitPrice),
            string.IsNullOrWhiteSpace(request.Currency) ? "EUR" : request.Currency.ToUpperInvariant(),
            time.GetUtcNow()));
        return TypedResults.Created($"/api/orders/{order.Id}", order);
    }
}
