using Flock.Akash.Crypto;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// One owner wallet and the chain-sdk reference tokens of one test class (node runs once per token set): scoped
/// (status, logs) in both signing methods, and granular for one provider's deployment 42, group 1.
/// </summary>
public sealed class ReferenceTokens : IAsyncLifetime
{
    public const ulong GranularDseq = 42;

    public Wallet Owner { get; private set; } = null!;

    public Wallet Stranger { get; private set; } = null!;

    /// <summary>The provider the granular token names (an address of its own).</summary>
    public string Provider { get; private set; } = null!;

    /// <summary>iat and nbf of the reference tokens; exp is 900 s later.</summary>
    public long Now { get; private set; }

    public string ScopedEs256K { get; private set; } = null!;

    public string ScopedAdr36 { get; private set; } = null!;

    public string GranularAdr36 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        (Owner, var mnemonic) = World.NewWallet("gateway-jwt-owner");
        Stranger = World.NewWallet("gateway-jwt-stranger").Wallet;
        using (var provider = World.NewWallet("gateway-jwt-provider").Wallet)
        {
            Provider = provider.Address;
        }

        Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (ScopedEs256K, ScopedAdr36) = await ChainSdkTokens.IssueAsync(mnemonic, new
        {
            iss = Owner.Address, iat = Now, nbf = Now, exp = Now + 900, version = "v1",
            leases = new { access = "scoped", scope = new[] { "status", "logs" } },
        });
        (_, GranularAdr36) = await ChainSdkTokens.IssueAsync(mnemonic, new
        {
            iss = Owner.Address, iat = Now, nbf = Now, exp = Now + 900, version = "v1",
            leases = new
            {
                access = "granular",
                permissions = new[]
                {
                    new { provider = Provider, access = "granular", deployments = new[] { new { dseq = GranularDseq, gseq = 1, scope = new[] { "status" }, services = new[] { "web" } } } },
                },
            },
        });
    }

    public Task DisposeAsync()
    {
        Owner.Dispose();
        Stranger.Dispose();
        return Task.CompletedTask;
    }
}
