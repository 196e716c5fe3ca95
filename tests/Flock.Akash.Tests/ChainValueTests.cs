using CsCheck;
using Flock.Akash.Chain;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Sdl;
using System.Text.Json.Nodes;

namespace Flock.Akash.Tests;

public class ChainValueTests
{
    [Theory]
    [InlineData("1.5", "1500000000000000000")]
    [InlineData("10000", "10000000000000000000000")]
    [InlineData("0.000001", "1000000000000")]
    [InlineData("0", "0")]
    public void Dec_coin_amounts_travel_scaled_by_ten_to_the_18(string amount, string wire)
    {
        Assert.Equal(wire, LegacyDec.ToWire(amount));
        Assert.Equal(amount, LegacyDec.FromWire(wire));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1e5")]
    [InlineData("1.")]
    [InlineData("0.0000000000000000001")]
    public void Malformed_or_too_precise_amounts_are_refused(string amount) =>
        Assert.Throws<FormatException>(() => LegacyDec.ToWire(amount));

    [Fact]
    public void Wire_amounts_round_trip() =>
        Gen.ULong.Select(Gen.Int[0, 18]).Sample((value, scale) =>
        {
            var wire = value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return LegacyDec.ToWire(LegacyDec.FromWire(wire)) == wire;
        });

    [Fact]
    public void Collation_matches_icu_root_order_as_node_sorts()
    {
        // Order node 20's String.prototype.localeCompare gives (ICU root collation).
        string[] expected = ["_a", "-a", "0a", "a", "A", "a_", "a_b", "a-", "a.", "a/", "a0", "a1", "a9", "aa", "ab", "aB", "b", "B", "host_x", "host-x", "host.x", "host/x", "hostx", "region", "Region", "z", "Z"];
        var shuffled = expected.OrderBy(s => s.GetHashCode(StringComparison.Ordinal)).ToList();
        Assert.Equal(expected, shuffled.Order(SdlCollation.Instance));
    }

    [Fact]
    public void Canonical_json_sorts_keys_recursively_and_escapes_like_go()
    {
        var node = new JsonObject
        {
            ["b"] = new JsonArray(new JsonObject { ["z"] = 1, ["a"] = null }),
            ["a"] = "<x> & \u2028 \u0001 \n \"q\" \\",
            ["c"] = true,
        };
        Assert.Equal("{\"a\":\"\\u003cx\\u003e \\u0026 \\u2028 \\u0001 \\n \\\"q\\\" \\\\\",\"b\":[{\"a\":null,\"z\":1}],\"c\":true}", CanonicalJson.Serialize(node));
    }

    [Theory]
    [InlineData("8", 8)]
    [InlineData("7500m", 7.5)]
    [InlineData("24Gi", 25769803776)]
    [InlineData("1.5G", 1500000000)]
    [InlineData("1e3", 1000)]
    [InlineData("100Mi", 104857600)]
    public void Kubernetes_quantities_parse_exactly(string quantity, double value) =>
        Assert.Equal((decimal)value, KubeQuantity.Parse(quantity));

    [Fact]
    public void Lease_and_escrow_ids_follow_the_chain_formats()
    {
        var bid = new BidID { Owner = "akash1o", Dseq = 5, Gseq = 1, Oseq = 2, Provider = "akash1p", Bseq = 3 };
        var lease = AkashMessages.LeaseOf(bid);
        Assert.Equal((bid.Owner, bid.Dseq, bid.Gseq, bid.Oseq, bid.Provider, bid.Bseq), (lease.Owner, lease.Dseq, lease.Gseq, lease.Oseq, lease.Provider, lease.Bseq));
        Assert.Equal(LeaseClosedReason.LeaseClosedOwner, AkashMessages.CloseLease(lease).Reason);
        var deposit = AkashMessages.DepositToDeployment("akash1s", "akash1o", 5, AkashMessages.Coin(100, AkashNetwork.Uact));
        Assert.Equal(("akash1o/5", Protos.EscrowIdV1.Scope.Deployment), (deposit.Id.Xid, deposit.Id.Scope));
        Assert.Equal("akash1s", deposit.Signer);
    }

    [Fact]
    public void Mint_act_burns_uakt_for_the_signer_itself()
    {
        var msg = AkashMessages.MintAct("akash1o", AkashMessages.Coin(1_000_000, AkashNetwork.Uakt));
        Assert.Equal((msg.Owner, msg.To), ("akash1o", "akash1o"));
        Assert.Throws<ArgumentException>(() => AkashMessages.MintAct("akash1o", AkashMessages.Coin(1, AkashNetwork.Uact)));
    }
}
