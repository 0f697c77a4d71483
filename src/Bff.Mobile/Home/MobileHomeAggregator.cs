using System.Text.Json;
using Bff.Shared.Aggregation;

namespace Bff.Mobile.Home;

/// <summary>
/// The phone's home screen in one small call: who the user is, their three most recent orders and where their
/// payments stand — only the fields the app renders. Parts that failed are null and named in <c>unavailable</c>,
/// so the app can show what it has; without the user there is no screen (502 problem+json).
/// </summary>
internal sealed class MobileHomeAggregator : IBffAggregator
{
    public const string Name = "MobileHome";

    public ValueTask<AggregateResponse> AggregateAsync(AggregateContext context, CancellationToken cancellationToken)
    {
        using var user = Json(context.Part("mobile-me"));
        using var orders = Json(context.Part("mobile-orders"));
        using var payments = Json(context.Part("mobile-payments"));

        if (user is null)
        {
            var problem = new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.6.3",
                title = "Bad Gateway",
                status = 502,
                detail = "The user profile is unavailable.",
                traceId = System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier,
            };
            return ValueTask.FromResult(new AggregateResponse(502, "application/problem+json",
                JsonSerializer.SerializeToUtf8Bytes(problem, JsonSerializerOptions.Web)));
        }

        var home = new HomeScreen(
            User: ToUser(user.RootElement),
            RecentOrders: orders is null ? null : [.. orders.RootElement.EnumerateArray().Take(3).Select(ToOrder)],
            Payments: payments is null ? null : ToPayments(payments.RootElement),
            Unavailable: [.. context.Parts.Where(p => !p.Succeeded).Select(p => p.Key)]);
        return ValueTask.FromResult(AggregateResponse.Json(home));
    }

    private static JsonDocument? Json(AggregatePart? part) => part is { Succeeded: true } ? part.TryParseJson() : null;

    private static HomeUser ToUser(JsonElement u) => new(
        u.GetProperty("id").GetInt32(),
        u.TryGetProperty("displayName", out var name) ? name.GetString() : null,
        u.TryGetProperty("avatarUrl", out var avatar) ? avatar.GetString() : null);

    private static HomeOrder ToOrder(JsonElement o) => new(
        o.GetProperty("id").GetInt32(),
        o.GetProperty("status").GetString(),
        o.GetProperty("total").GetDecimal(),
        o.GetProperty("currency").GetString(),
        o.TryGetProperty("items", out var items) ? items.EnumerateArray().Sum(i => i.GetProperty("quantity").GetInt32()) : 0);

    private static HomePayments ToPayments(JsonElement list)
    {
        var all = list.EnumerateArray().ToList();
        var latest = all.OrderByDescending(p => p.GetProperty("createdAt").GetDateTimeOffset()).FirstOrDefault();
        return new HomePayments(
            Failed: all.Count(p => p.GetProperty("status").GetString() == "failed"),
            LastStatus: latest.ValueKind == JsonValueKind.Undefined ? null : latest.GetProperty("status").GetString(),
            LastAmount: latest.ValueKind == JsonValueKind.Undefined ? null : latest.GetProperty("amount").GetDecimal());
    }

    private sealed record HomeScreen(HomeUser User, IReadOnlyList<HomeOrder>? RecentOrders, HomePayments? Payments, IReadOnlyList<string> Unavailable);
    private sealed record HomeUser(int Id, string? DisplayName, string? AvatarUrl);
    private sealed record HomeOrder(int Id, string? Status, decimal Total, string? Currency, int ItemCount);
    private sealed record HomePayments(int Failed, string? LastStatus, decimal? LastAmount);
}
