using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Flock.Akash.ProviderApi;
using static Flock.AkashProvider.Tests.TokenForge;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// Bearer tokens on the wire against a simulated provider holding the owner's lease: tokens from the operator's
/// ProviderJwt and from chain-sdk get through; broken ones get the real gateway's status and {"message"}, and the
/// provider's LastJwtRejection names the rule that refused them.
/// </summary>
public sealed class GatewayJwtTests(LeasedWorld f) : IClassFixture<LeasedWorld>
{
    private string StatusPath => $"/lease/{f.ApiLease}/status";

    [Fact]
    public async Task Tokens_of_the_operator_and_of_chain_sdk_read_the_lease()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (es256k, adr36) = await ChainSdkTokens.IssueAsync(f.W.OwnerMnemonic, new
        {
            iss = f.W.Owner.Address, iat = now, nbf = now, exp = now + 900, version = "v1",
            leases = new { access = "scoped", scope = new[] { "status" } },
        });
        foreach (var token in new[] { ProviderJwt.Issue(f.W.Owner, JwtLeases.Scoped([JwtScopes.Status]), TimeSpan.FromMinutes(5)), es256k, adr36 })
        {
            var (status, body) = await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, StatusPath, token);
            Assert.True(status == 200, body);
        }

        // The scoped token has no logs scope: verified, then unauthorized for the route.
        var logs = await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, $"/lease/{f.ApiLease}/manifest", adr36);
        Assert.Equal((401, "unauthorized access"), (logs.Status, Message(logs.Body)));
    }

    [Fact]
    public async Task Chain_sdk_granular_tokens_reach_the_named_provider_and_lease_only()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var elsewhere = World.NewWallet("gateway-jwt-elsewhere").Wallet;
        var tokens = new List<string>();
        foreach (var provider in new[] { f.Lease.Provider, elsewhere.Address })
        {
            var (_, adr36) = await ChainSdkTokens.IssueAsync(f.W.OwnerMnemonic, new
            {
                iss = f.W.Owner.Address, iat = now, nbf = now, exp = now + 900, version = "v1",
                leases = new
                {
                    access = "granular",
                    permissions = new[] { new { provider, access = "granular", deployments = new[] { new { dseq = f.Lease.Dseq, gseq = f.Lease.Gseq, scope = new[] { "status" }, services = new[] { "flock-train" } } } } },
                },
            });
            tokens.Add(adr36);
        }

        Assert.Equal(200, (await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, StatusPath, tokens[0])).Status);
        var refused = await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, StatusPath, tokens[1]);
        Assert.Equal((401, "unauthorized access"), (refused.Status, Message(refused.Body)));
    }

    [Fact]
    public async Task Broken_tokens_get_the_gateways_status_message_and_a_named_reason()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var owner = f.W.Owner.Address;
        var good = ProviderJwt.Issue(f.W.Owner, JwtLeases.Full, TimeSpan.FromMinutes(5));
        Assert.Equal(200, (await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, StatusPath, good)).Status);
        using var stranger = World.NewWallet("gateway-jwt-forger").Wallet;
        var claims = Claims(owner, now, now, now + 300);
        var hsInput = B64("""{"alg":"HS256","typ":"JWT"}""") + "." + B64(claims);

        var cases = new (string Name, string Token, int Status, string Message, string Reason)[]
        {
            ("tampered payload", WithPayload(good, json => json.Replace("\"full\"", "\"scoped\",\"scope\":[\"shell\"]", StringComparison.Ordinal)), 401, "JWT is invalid", "token signature is invalid"),
            ("signed with another key", Es256K(stranger, claims), 401, "JWT is invalid", "token signature is invalid"),
            ("expired", ProviderJwt.Sign(f.W.Owner, new JwtClaims(owner, now - 600, now - 600, now - 60, JwtLeases.Full)), 400, "JWT has invalid claims", "token is expired"),
            ("not yet valid", ProviderJwt.Sign(f.W.Owner, new JwtClaims(owner, now, now + 3600, now + 7200, JwtLeases.Full)), 400, "JWT has invalid claims", "token is not valid yet"),
            ("alg none", B64("""{"alg":"none","typ":"JWT"}""") + "." + B64(claims) + ".", 401, "JWT is invalid", "signing method none is invalid"),
            ("alg HS256", hsInput + "." + B64(HMACSHA256.HashData("secret"u8, Encoding.ASCII.GetBytes(hsInput))), 401, "JWT is invalid", "signing method HS256 is invalid"),
            ("aud of the wrong type", Es256K(f.W.Owner, Claims(owner, now, now, now + 300, extra: ",\"aud\":{}")), 401, "JWT is invalid", "could not JSON decode claim"),
            ("invalid scope", Es256K(f.W.Owner, Claims(owner, now, now, now + 300, """{"access":"scoped","scope":["root"]}""")), 400, "JWT has invalid claims", "invalid scope root"),
        };
        foreach (var c in cases)
        {
            var (status, body) = await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, StatusPath, c.Token);
            Assert.True((c.Status, c.Message) == (status, Message(body)), $"{c.Name}: {status} {body}");
            Assert.True(f.Provider.LastJwtRejection?.Contains(c.Reason, StringComparison.Ordinal) == true, $"{c.Name}: {f.Provider.LastJwtRejection}");
        }
    }

    [Fact]
    public async Task A_token_addressed_to_another_provider_is_accepted_as_the_real_gateway_does()
    {
        // AuthProcess parses without jwt.WithAudience, so golang-jwt never compares aud with the provider.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var elsewhere = World.NewWallet("gateway-jwt-audience").Wallet;
        var token = Es256K(f.W.Owner, Claims(f.W.Owner.Address, now, now, now + 300, extra: $",\"aud\":\"{elsewhere.Address}\""));
        var (status, body) = await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, StatusPath, token);
        Assert.True(status == 200, body);
    }

    private static string Message(string body) => JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
}
