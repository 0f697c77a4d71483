using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Bff.Shared.KeyStore;
using Bff.Shared.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bff.Shared.Tests.Security;

/// <summary>
/// Sign-in guessing is throttled: a burst of concurrent wrong passwords gets at most <c>Users:MaxFailedLogins</c>
/// password checks, then the username is locked; <c>/bff/login</c>, <c>/auth/token</c> and <c>/auth/refresh</c> are
/// limited per address and per username (across replicas with Redis), 429 problem+json with Retry-After; an unknown
/// username costs the same hash and writes nothing more than a wrong password. Real Kestrel, SQLite, redis-server;
/// the client addresses are real loopback addresses (127.0.0.x).
/// </summary>
internal sealed class SignInThrottlingTests
{
    private const string Login = "/bff/login";
    private const string Token = "/auth/token";
    private TempFolder _data = null!;
    private CountingHasher _hasher = null!;
    private readonly List<IAsyncDisposable> _disposables = [];

    [SetUp]
    public void Start()
    {
        _data = new TempFolder();
        _hasher = new CountingHasher();
    }

    [TearDown]
    public async Task Stop()
    {
        foreach (var disposable in _disposables) await disposable.DisposeAsync();
        _disposables.Clear();
        _data.Dispose();
    }

    /// <summary>A web (sessions) or mobile (tokens) gateway on <see cref="_data"/>'s key store, counting password checks.</summary>
    private async Task<GatewayTestHost> StartAsync(string endpoint, Dictionary<string, string?> users, RedisServer? redis = null)
    {
        var settings = GatewayTestHost.KeyStoreSettings(_data, redis?.ConnectionString);
        foreach (var (k, v) in users) settings["Users:" + k] = v;
        var host = await GatewayTestHost.StartAsync("""{ "Routes": [] }""", settings,
            services => services.AddSingleton<IPasswordHasher<UserEntity>>(_hasher),
            builder =>
            {
                builder.AddKeyStore();
                if (endpoint == Login) builder.AddSessionAuthentication();
                else builder.AddTokenAuthentication();
            });
        _disposables.Insert(0, host);
        return host;
    }

    private async Task<RedisServer> RedisAsync()
    {
        var redis = await RedisServer.StartAsync();
        _disposables.Add(redis);
        return redis;
    }

    private static Task CreateUserAsync(GatewayTestHost host, string username, string password) =>
        host.Services.GetRequiredService<UserService>().CreateAsync(username, password, [], new AuditActor("test"));

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string endpoint, string username, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add("X-CSRF", "1");
        return await client.SendAsync(request);
    }

    [TestCase(Login, false)]
    [TestCase(Token, false)]
    [TestCase(Login, true)]
    [TestCase(Token, true)]
    public async Task BurstOf50ConcurrentWrongPasswords_GetsAtMostMaxFailedLoginsChecks_ThenTheRightPasswordIsLocked(string endpoint, bool twoReplicasOnRedis)
    {
        var limits = new Dictionary<string, string?> { ["MaxFailedLogins"] = "5", ["SignInLimitPerAddress"] = "0", ["SignInLimitPerUser"] = "0" };
        var redis = twoReplicasOnRedis ? await RedisAsync() : null;
        var first = await StartAsync(endpoint, limits, redis);
        var second = twoReplicasOnRedis ? await StartAsync(endpoint, limits, redis) : first;
        await CreateUserAsync(first, "bob", "right password");
        using var a = first.CreateClient();
        using var b = second.CreateClient();
        // Warm hosts (connected to Redis, code compiled), as a production replica is when a burst comes.
        await SignInAsync(a, endpoint, "warm-up", "x");
        await SignInAsync(b, endpoint, "warm-up", "x");

        var burst = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SignInAsync(i % 2 == 0 ? a : b, endpoint, "bob", $"guess {i}")));

        Assert.That(burst.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(_hasher.RealChecks, Is.LessThanOrEqualTo(5), "password checks against bob's hash");
        var right = await SignInAsync(a, endpoint, "bob", "right password");
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "locked, even with the right password");
        Assert.That(_hasher.RealChecks, Is.LessThanOrEqualTo(5), "a locked username's password is not checked");
    }

    [Test]
    public async Task SuccessfulSignIn_FreesTheFailedChecks()
    {
        var host = await StartAsync(Login, new() { ["MaxFailedLogins"] = "3" });
        await CreateUserAsync(host, "bob", "right password");
        using var client = host.CreateClient();

        for (var round = 0; round < 3; round++)
        {
            await SignInAsync(client, Login, "bob", "wrong");
            await SignInAsync(client, Login, "bob", "wrong");
            Assert.That((await SignInAsync(client, Login, "bob", "right password")).StatusCode, Is.EqualTo(HttpStatusCode.OK), $"round {round}");
        }
    }

    [TestCase(Login)]
    [TestCase(Token)]
    [TestCase("/auth/refresh")]
    public async Task PerAddressLimit_Is429ProblemWithRetryAfter_ForThatAddressOnly(string endpoint)
    {
        var host = await StartAsync(endpoint == Login ? Login : Token, new() { ["SignInLimitPerAddress"] = "3", ["SignInLimitPerUser"] = "0", ["MaxFailedLogins"] = "100" });
        using var attacker = LoopbackClient.From(host.BaseAddress, "127.0.0.2");
        using var other = LoopbackClient.From(host.BaseAddress, "127.0.0.3");
        Task<HttpResponseMessage> Attempt(HttpClient client, int i) => endpoint == "/auth/refresh"
            ? client.PostAsJsonAsync(endpoint, new { refresh_token = $"not-a-token-{i}" })
            : SignInAsync(client, endpoint, $"user{i}", "wrong");

        for (var i = 0; i < 3; i++) Assert.That((await Attempt(attacker, i)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        var refused = await Attempt(attacker, 3);

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(refused.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.That(problem["violated-policies"]!.AsArray().Select(p => p!.GetValue<string>()), Is.EqualTo(new[] { "signin-address" }));
        Assert.That((await Attempt(other, 4)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "another address is not limited");
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task PerUsernameLimit_CountsEveryAddress_AndEveryReplicaOnRedis(bool twoReplicasOnRedis)
    {
        var limits = new Dictionary<string, string?> { ["SignInLimitPerAddress"] = "0", ["SignInLimitPerUser"] = "3", ["MaxFailedLogins"] = "100" };
        var redis = twoReplicasOnRedis ? await RedisAsync() : null;
        var first = await StartAsync(Login, limits, redis);
        var second = twoReplicasOnRedis ? await StartAsync(Login, limits, redis) : first;
        var hosts = new[] { first, second, first, second };

        for (var i = 0; i < 3; i++)
        {
            using var client = LoopbackClient.From(hosts[i].BaseAddress, $"127.0.0.{i + 2}");
            Assert.That((await SignInAsync(client, Login, i == 1 ? " Carol" : "carol", "wrong")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        }
        using var fresh = LoopbackClient.From(hosts[3].BaseAddress, "127.0.0.9");
        var refused = await SignInAsync(fresh, Login, "CAROL", "wrong");

        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), "the fourth attempt on carol, from a fresh address");
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
        Assert.That((await SignInAsync(fresh, Login, "dave", "wrong")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "another username is not limited");
    }

    [Test]
    public async Task UnknownUsername_CostsTheSameHash_AndWritesTheSame_AsAWrongPassword()
    {
        var host = await StartAsync(Login, new() { ["MaxFailedLogins"] = "3" });
        await CreateUserAsync(host, "bob", "right password");
        using var client = host.CreateClient();

        foreach (var username in new[] { "bob", "nobody" })
        {
            for (var i = 0; i < 4; i++)
            {
                var before = _hasher.AllChecks;
                Assert.That((await SignInAsync(client, Login, username, "wrong")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
                Assert.That(_hasher.AllChecks - before, Is.EqualTo(1), $"{username}, attempt {i + 1}: one hash, locked or not");
            }
        }

        await using var db = host.Services.GetRequiredService<KeyStoreContextFactory>().Create();
        var bob = await db.Users.AsNoTracking().SingleAsync(u => u.Username == "bob");
        Assert.That((bob.FailedLogins, bob.LockoutEnd), Is.EqualTo((0, (DateTime?)null)), "failures are not written to the user's row");
        var audit = await db.Audit.AsNoTracking().Where(e => e.Action != "user.create").Select(e => e.Action + " " + e.Target).ToListAsync();
        Assert.That(audit.Where(e => e.EndsWith("user:bob", StringComparison.Ordinal)).Select(e => e.Split(' ')[0]),
            Is.EquivalentTo(audit.Where(e => e.EndsWith("user:nobody", StringComparison.Ordinal)).Select(e => e.Split(' ')[0])),
            "the same audit entries (four refusals and one lockout) for both");
        Assert.That(audit, Has.Member("user.lockout user:nobody"));
    }

    /// <summary>Counts password checks: <see cref="RealChecks"/> against a user's hash, <see cref="AllChecks"/> with the dummy.</summary>
    private sealed class CountingHasher : IPasswordHasher<UserEntity>
    {
        private readonly PasswordHasher<UserEntity> _inner = new();
        private int _real;
        private int _all;

        public int RealChecks => Volatile.Read(ref _real);
        public int AllChecks => Volatile.Read(ref _all);

        public string HashPassword(UserEntity user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(UserEntity user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _all);
            if (user.Id.Length > 0) Interlocked.Increment(ref _real);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
