using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Flock.Akash.Chain;
using Flock.Akash.Protos.AuditV1;
using Flock.Akash.Protos.CertV1;
using Flock.Akash.Protos.CosmosAuthV1Beta1;
using Flock.Akash.Protos.CosmosCryptoSecp256k1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Akash.Protos.ProviderV1Beta4;
using Flock.Sandbox.AkashChain;
using Google.Protobuf;
using Grpc.Core;

namespace Flock.AkashChain.Tests;

public sealed class ChainServicesTests
{
    [Fact]
    public async Task Accounts_exist_from_first_funding_and_show_the_pubkey_after_the_first_tx()
    {
        await using var s = await Scenario.StartAsync();
        using var stranger = new ChainClient(s.Chain, "stranger");
        var e = await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => stranger.AccountAsync());
        Assert.Contains("not found", e.Status.Detail, StringComparison.Ordinal);

        await s.Chain.FundAsync(stranger.Address, 1_000_000, "uakt");
        var info = await stranger.Auth.AccountInfoAsync(new QueryAccountInfoRequest { Address = stranger.Address });
        Assert.Equal(0ul, info.Info.Sequence);
        Assert.Null(info.Info.PubKey);
        Assert.NotEqual((await s.Owner.AccountAsync()).AccountNumber, info.Info.AccountNumber);

        await stranger.SubmitOkAsync(new Flock.Akash.Protos.CosmosBankV1Beta1.MsgSend { FromAddress = stranger.Address, ToAddress = s.Owner.Address, Amount = { AkashMessages.Coin(10, "uakt") } });
        info = await stranger.Auth.AccountInfoAsync(new QueryAccountInfoRequest { Address = stranger.Address });
        Assert.Equal(1ul, info.Info.Sequence);
        Assert.Equal(stranger.Wallet.PublicKey, TypeUrls.Unpack<PubKey>(info.Info.PubKey).Key.ToByteArray());
    }

    [Fact]
    public async Task Mint_act_burns_uakt_and_mints_uact_at_the_configured_rate()
    {
        await using var s = await Scenario.StartAsync(new AkashChainOptions(ActPerAkt: 0.5m));
        var before = await s.Owner.BalanceAsync("uact");
        var result = await s.Owner.SubmitOkAsync(AkashMessages.MintAct(s.Owner.Address, AkashMessages.Coin(4_000_000, "uakt")));
        var fee = ulong.Parse((await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = result.Txhash })).Tx.AuthInfo.Fee.Amount[0].Amount, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(before + 2_000_000, await s.Owner.BalanceAsync("uact"));
        Assert.Equal(Scenario.OwnerUakt - 4_000_000 - fee, await s.Owner.BalanceAsync("uakt"));

        // Minting for someone else is refused by ValidateBasic.
        var other = AkashMessages.MintAct(s.Owner.Address, AkashMessages.Coin(1, "uakt"));
        other.To = s.Provider.Address;
        var check = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([other]));
        Assert.Equal(3u, check.Code);
        Assert.Equal("bme", check.Codespace);
    }

    [Fact]
    public async Task Providers_and_audited_attributes_registered_in_process_are_queryable()
    {
        await using var s = await Scenario.StartAsync();
        await s.Chain.AddAuditedAttributesAsync(s.Provider.Address, s.Owner.Address, [new("tier", "community")]);
        var provider = await s.Owner.Providers.ProviderAsync(new QueryProviderRequest { Owner = s.Provider.Address });
        Assert.Equal("https://provider.example:8443", provider.Provider.HostUri);
        Assert.Contains(provider.Provider.Attributes, a => a.Key == "region" && a.Value == "us-west");
        Assert.Single((await s.Owner.Providers.ProvidersAsync(new QueryProvidersRequest())).Providers);
        var audited = await s.Owner.Audit.ProviderAuditorAttributesAsync(new QueryProviderAuditorRequest { Owner = s.Provider.Address, Auditor = s.Owner.Address });
        Assert.Equal("community", audited.Providers.Single().Attributes.Single().Value);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, async () => await s.Owner.Providers.ProviderAsync(new QueryProviderRequest { Owner = s.Owner.Address }));
    }

    [Fact]
    public async Task A_provider_that_lacks_the_placement_attributes_cannot_bid()
    {
        await using var s = await Scenario.StartAsync();
        await s.Chain.RegisterProviderAsync(s.Provider.Address, "https://provider.example:8443", [new("host", "elsewhere")]);
        await s.Owner.SubmitOkAsync(s.Create(3));
        var result = await s.Provider.SubmitAsync(s.Bid(3));
        Assert.Equal(5u, result.Code);
        Assert.Equal("market", result.Codespace);

        var unregistered = new ChainClient(s.Chain, "nobody");
        await s.Chain.FundAsync(unregistered.Address, 1_000_000, "uakt");
        var bid = s.Bid(3);
        bid.Id.Provider = unregistered.Address;
        var unknown = await unregistered.SubmitAsync(bid);
        Assert.Equal("failed to execute message; message index: 0: unknown provider", unknown.RawLog);
        unregistered.Dispose();
    }

    [Fact]
    public async Task Certificates_are_published_listed_and_revoked()
    {
        await using var s = await Scenario.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={s.Owner.Address}", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365));
        var pubPem = PemEncoding.WriteString("EC PUBLIC KEY", key.ExportSubjectPublicKeyInfo());
        var create = new MsgCreateCertificate { Owner = s.Owner.Address, Cert = ByteString.CopyFromUtf8(cert.ExportCertificatePem()), Pubkey = ByteString.CopyFromUtf8(pubPem) };
        await s.Owner.SubmitOkAsync(create);
        var again = await s.Owner.SubmitAsync(create);
        Assert.Equal(3u, again.Code);
        Assert.Equal("cert", again.Codespace);

        var list = await s.Owner.Certs.CertificatesAsync(new QueryCertificatesRequest { Filter = new CertificateFilter { Owner = s.Owner.Address, State = "valid" } });
        var published = Assert.Single(list.Certificates);
        Assert.Equal(new System.Numerics.BigInteger(cert.GetSerialNumber(), isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture), published.Serial);

        await s.Owner.SubmitOkAsync(new MsgRevokeCertificate { Id = new ID { Owner = s.Owner.Address, Serial = published.Serial } });
        var revoked = await s.Owner.Certs.CertificatesAsync(new QueryCertificatesRequest { Filter = new CertificateFilter { Owner = s.Owner.Address, State = "revoked" } });
        Assert.Equal(State.Revoked, revoked.Certificates.Single().Certificate.State);
    }

    [Fact]
    public async Task An_rpc_outage_fails_every_call_with_unavailable_until_it_ends()
    {
        await using var s = await Scenario.StartAsync();
        s.Chain.Faults.RpcDown = true;
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, () => s.Owner.AccountAsync());
        await RpcAssert.ThrowsAsync(StatusCode.Unavailable, async () => await s.Owner.Market.ParamsAsync(new QueryParamsRequest()));
        s.Chain.Faults.RpcDown = false;
        Assert.Equal(20u, (await s.Owner.Market.ParamsAsync(new QueryParamsRequest())).Params.OrderMaxBids);
    }

    [Fact]
    public async Task Injected_rejections_hit_the_next_broadcasts_only()
    {
        await using var s = await Scenario.StartAsync();
        s.Chain.Faults.RejectNextTxs(1, 20, "mempool is full");
        var signed = await s.Owner.SignAsync([s.Create(1)]);
        var rejected = await s.Owner.BroadcastAsync(signed);
        Assert.Equal(20u, rejected.Code);
        Assert.Equal("mempool is full", rejected.RawLog);
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(signed)).Code);
    }

    [Fact]
    public async Task Slow_inclusion_keeps_a_tx_pending_for_the_configured_blocks()
    {
        await using var s = await Scenario.StartAsync();
        s.Chain.Faults.InclusionDelayBlocks = 3;
        var signed = await s.Owner.SignAsync([s.Create(1)]);
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(signed)).Code);
        await s.Chain.MineAsync(3);
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, async () => await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = signed.Hash }));
        await s.Chain.MineAsync(1);
        Assert.Equal(0u, (await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = signed.Hash })).TxResponse.Code);
    }

    [Fact]
    public async Task Block_mode_broadcast_is_refused_like_a_v050_node()
    {
        await using var s = await Scenario.StartAsync();
        var signed = await s.Owner.SignAsync([s.Create(1)]);
        var e = await RpcAssert.ThrowsAsync(StatusCode.Unknown, async () => await s.Owner.Tx.BroadcastTxAsync(new BroadcastTxRequest { TxBytes = ByteString.CopyFrom(signed.Bytes), Mode = BroadcastMode.Block }));
        Assert.Equal("unsupported return type block; supported types: sync, async", e.Status.Detail);
    }

    [Fact]
    public async Task A_timer_driven_chain_produces_blocks_on_its_own()
    {
        await using var chain = await AkashChainSimulator.StartAsync(new AkashChainOptions(BlockInterval: TimeSpan.FromMilliseconds(20)));
        var start = chain.Height;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (chain.Height < start + 3)
        {
            await Task.Delay(10, cts.Token);
        }

        Assert.True(chain.Height >= start + 3);
    }
}
