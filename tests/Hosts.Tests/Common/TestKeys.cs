using Bff.Shared.KeyStore;
using Microsoft.Extensions.DependencyInjection;

namespace Bff.Hosts.Tests.Common;

/// <summary>API keys for host tests, created through the host's own key store.</summary>
internal static class TestKeys
{
    public const string AllPartnerScopes = "orders:read orders:write payments:read payments:write";

    public static async Task<CreatedKey> CreateAsync(IServiceProvider services, string scopes, string client = "tests")
    {
        var store = services.GetRequiredService<KeyStoreService>();
        var actor = new AuditActor("test:hosts");
        if (!(await store.ListClientsAsync()).Any(c => c.Name == client)) await store.CreateClientAsync(client, null, actor);
        return await store.CreateKeyAsync(client, KeyStoreService.SplitScopes(scopes), null, null, actor);
    }
}
