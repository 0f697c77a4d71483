namespace Bffs.Backends;

/// <summary>Fixed demo data: the same ids and timestamps on every start, so tests can rely on them.</summary>
internal static class SeedData
{
    public static readonly IReadOnlyList<User> Users =
    [
        new(1, "ada", "Ada Lovelace", "ada@example.com", "https://avatars.example.com/u/1.png",
            new("12 St James's Square", "London", "SW1Y 4JH", "GB"), At("2025-01-14T09:12:00Z")),
        new(2, "grace", "Grace Hopper", "grace@example.com", "https://avatars.example.com/u/2.png",
            new("1 Navy Pier", "Arlington", "22202", "US"), At("2025-02-03T16:40:00Z")),
        new(3, "linus", "Linus Torvalds", "linus@example.com", "https://avatars.example.com/u/3.png",
            new("Mannerheimintie 5", "Helsinki", "00100", "FI"), At("2025-03-21T07:05:00Z")),
        new(4, "margaret", "Margaret Hamilton", "margaret@example.com", "https://avatars.example.com/u/4.png",
            new("77 Massachusetts Ave", "Cambridge", "02139", "US"), At("2025-05-30T12:00:00Z")),
    ];

    public static readonly IReadOnlyList<UserPreferences> Preferences =
    [
        new(1, "en-GB", "GBP", "dark", false, ["email"]),
        new(2, "en-US", "USD", "light", true, ["email", "push"]),
        new(3, "fi-FI", "EUR", "system", false, ["push"]),
        new(4, "en-US", "USD", "dark", true, ["email", "sms"]),
    ];

    public static readonly IReadOnlyList<Order> Orders =
    [
        Order(1001, 1, "delivered", "GBP", "2025-06-02T10:15:00Z",
            new OrderItem("BK-ANALYT-01", "Notes on the Analytical Engine", 1, 24.50m),
            new OrderItem("PN-BRASS-02", "Brass fountain pen", 2, 12.00m)),
        Order(1002, 1, "shipped", "GBP", "2025-09-18T14:30:00Z",
            new OrderItem("NB-A5-DOT", "Dotted A5 notebook", 3, 6.75m)),
        Order(1003, 2, "paid", "USD", "2025-10-05T08:45:00Z",
            new OrderItem("KB-MECH-87", "Mechanical keyboard", 1, 129.00m),
            new OrderItem("MS-VERT-01", "Vertical mouse", 1, 49.99m)),
        Order(1004, 3, "pending", "EUR", "2025-11-11T19:20:00Z",
            new OrderItem("PG-PENGU-L", "Penguin plush (large)", 1, 29.90m)),
        Order(1005, 4, "cancelled", "USD", "2025-08-27T11:00:00Z",
            new OrderItem("MG-APOLLO-11", "Apollo 11 mug", 2, 15.00m)),
        Order(1006, 2, "delivered", "USD", "2025-04-22T09:00:00Z",
            new OrderItem("BK-COBOL-60", "COBOL for beginners", 1, 39.00m)),
    ];

    public static readonly IReadOnlyList<Payment> Payments =
    [
        new(5001, 1001, 1, 48.50m, "GBP", "captured", "card", At("2025-06-02T10:16:10Z")),
        new(5002, 1002, 1, 20.25m, "GBP", "captured", "paypal", At("2025-09-18T14:31:02Z")),
        new(5003, 1003, 2, 178.99m, "USD", "captured", "card", At("2025-10-05T08:46:30Z")),
        new(5004, 1005, 4, 30.00m, "USD", "refunded", "card", At("2025-08-27T11:01:00Z")),
        new(5005, 1006, 2, 39.00m, "USD", "failed", "bank-transfer", At("2025-04-22T09:01:00Z")),
        new(5006, 1006, 2, 39.00m, "USD", "captured", "card", At("2025-04-22T09:05:00Z")),
    ];

    private static Order Order(int id, int userId, string status, string currency, string createdAt, params OrderItem[] items) =>
        new(id, userId, status, items, items.Sum(i => i.Quantity * i.UnitPrice), currency, At(createdAt));

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);
}
