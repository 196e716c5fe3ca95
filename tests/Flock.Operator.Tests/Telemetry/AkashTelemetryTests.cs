using System.Diagnostics;
using System.Diagnostics.Metrics;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.Diagnostics;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Sandbox.AkashChain;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>
/// The Akash client against the chain simulator: every gRPC call is a child span of whatever called it and a sample
/// of flock_akash_rpc_duration_seconds by method and status; every transaction is a span over its RPCs and a count in
/// flock_akash_tx_total by outcome. The caller's current span is left as it was.
/// </summary>
public sealed class AkashTelemetryTests
{
    private static string NewMnemonic() => new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();

    [Fact]
    public async Task Chain_calls_and_transactions_are_spans_under_the_caller_and_are_measured_by_method_and_outcome()
    {
        await using var chain = await AkashChainSimulator.StartAsync(new AkashChainOptions { BlockInterval = TimeSpan.FromMilliseconds(100) });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var measurements = new Measurements(factory);
        var spans = new SpanLog();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(AkashDiagnostics.Name).AddInMemoryExporter(spans).Build();
        using var client = new AkashChainClient(new AkashClientOptions(new Uri(chain.GrpcUrl), chain.ChainId), metrics: new AkashMetrics(factory));
        var submitter = new TxSubmitter(client, new SigningLanes(), new TxSubmitterOptions(PollInterval: TimeSpan.FromMilliseconds(20), InclusionTimeout: TimeSpan.FromSeconds(30)));
        var mnemonic = NewMnemonic();
        using var funded = Wallet.FromMnemonic(mnemonic);
        using var unfunded = Wallet.FromMnemonic(NewMnemonic());
        using var recipient = Wallet.FromMnemonic(NewMnemonic());
        await chain.FundAsync(funded.Address, 10_000_000, "uakt");
        MsgSend Send(Wallet from) => new() { FromAddress = from.Address, ToAddress = recipient.Address, Amount = { AkashMessages.Coin(1, "uakt") } };

        Activity parent;
        using (parent = AkashDiagnostics.ActivitySource.StartActivity("caller")!)
        {
            Assert.Null(await client.GetDeploymentAsync(funded.Address, 1));
            Assert.Same(parent, Activity.Current);
            await submitter.SubmitAsync(funded, [Send(funded)]);
            await Assert.ThrowsAsync<AkashAccountNotFundedException>(() => submitter.SubmitAsync(unfunded, [Send(unfunded)]));
            Assert.Same(parent, Activity.Current);
        }

        var all = spans.Snapshot();
        var lookup = Assert.Single(all, s => s.TraceId == parent.TraceId && s.DisplayName == "akash.deployment.v1beta4.Query/Deployment"); // other tests' spans share the process
        Assert.Equal((parent.TraceId, parent.SpanId), (lookup.TraceId, lookup.ParentSpanId));
        Assert.Equal(("grpc", "akash.deployment.v1beta4.Query", "Deployment", "5"),
            (lookup.Tag("rpc.system"), lookup.Tag("rpc.service"), lookup.Tag("rpc.method"), lookup.Tag("rpc.grpc.status_code")));
        Assert.Equal(ActivityStatusCode.Error, lookup.Status);
        var committed = Assert.Single(all, s => s.TraceId == parent.TraceId && s.DisplayName == "akash tx MsgSend" && s.Tag("outcome") == "committed");
        Assert.Equal(parent.SpanId, committed.ParentSpanId);
        Assert.NotNull(committed.Tag("akash.tx.hash"));
        var txCalls = all.ChildrenOf(committed).Select(s => s.DisplayName).ToHashSet();
        Assert.Superset(new HashSet<string> { "cosmos.tx.v1beta1.Service/Simulate", "cosmos.tx.v1beta1.Service/BroadcastTx", "cosmos.tx.v1beta1.Service/GetTx" }, txCalls);
        Assert.Single(all, s => s.TraceId == parent.TraceId && s.DisplayName == "akash tx MsgSend" && s.Tag("outcome") == "rejected");

        var points = measurements.Points;
        Assert.Contains(points, p => p.Instrument == "flock_akash_rpc_duration_seconds" && p.Tags["method"] == "akash.deployment.v1beta4.Query/Deployment" && p.Tags["outcome"] == "not_found");
        Assert.Contains(points, p => p.Instrument == "flock_akash_rpc_duration_seconds" && p.Tags["method"] == "cosmos.tx.v1beta1.Service/BroadcastTx" && p.Tags["outcome"] == "ok");
        var transactions = points.Where(p => p.Instrument == "flock_akash_tx_total").Select(p => (p.Tags["message"], p.Tags["outcome"], p.Value)).ToList();
        Assert.Equal([("MsgSend", "committed", 1.0), ("MsgSend", "rejected", 1.0)], transactions.Order());
        var exported = string.Join("\n", all.Select(s => s.Text()));
        var words = mnemonic.Split(' ');
        for (var i = 0; i + 3 <= words.Length; i++) Assert.DoesNotContain(string.Join(' ', words[i..(i + 3)]), exported);
    }
}
