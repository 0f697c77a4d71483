namespace Bffs.Backends;

internal sealed record Address(string Street, string City, string PostalCode, string Country);

internal sealed record User(
    int Id,
    string Username,
    string DisplayName,
    string Email,
    string AvatarUrl,
    Address Address,
    DateTimeOffset CreatedAt);

internal sealed record UserPreferences(
    int UserId,
    string Language,
    string Currency,
    string Theme,
    bool MarketingEmails,
    IReadOnlyList<string> NotificationChannels);

internal sealed record OrderItem(string Sku, string Name, int Quantity, decimal UnitPrice);

internal sealed record Order(
    int Id,
    int UserId,
    string Status,
    IReadOnlyList<OrderItem> Items,
    decimal Total,
    string Currency,
    DateTimeOffset CreatedAt);

internal sealed record Payment(
    int Id,
    int OrderId,
    int UserId,
    decimal Amount,
    string Currency,
    string Status,
    string Method,
    DateTimeOffset CreatedAt);

internal sealed record CreateOrderRequest(int UserId, IReadOnlyList<OrderItem>? Items, string? Currency);

internal sealed record CreatePaymentRequest(int OrderId, int? UserId, decimal Amount, string? Currency, string? Method);
