using System.Numerics;
using System.Text.Json;
using CsCheck;
using Flock.Operator.Staking;
using Flock.Sandbox.Evm;

namespace Flock.Evm.Tests;

/// <summary>The sandbox contract, the operator's reader and the real FlockTaskManagerV2 agree on selectors and topics.</summary>
public sealed class ContractAbiTests
{
    // Signatures of FlockTaskManagerV2Upgradeable (shared/research/flock.md §4); selectors are keccak of these.
    public static readonly TheoryData<string> RealFunctions =
    [
        "getNodeStakes(uint256,address)",
        "getValidatorStakes(uint256,address)",
        "nodeStakes(uint256,address)",
        "validatorStakes(uint256,address)",
        "nodeInTask(uint256,address)",
        "tasks(uint256)",
        "isTaskCompleted(uint256)",
        "totalNodeStakesPerTask(uint256)",
        "totalValidatorStakesPerTask(uint256)",
        "minNodeStakes()",
        "validatorMinStake()",
        "getNodeTasks(address)",
        "getValidatorTasks(address)",
        "taskValidators(uint256,uint256)",
        "getTotalStakes(address)",
        "createTask(uint256,uint256,string)",
        "setMinStakes(uint256,uint256)",
        "stakeTokensForTrainingNodes(uint256,uint256)",
        "stakeTokensForValidators(uint256,uint256)",
        "withdrawStakeTokensForTrainingNodes(uint256)",
        "withdrawStakeTokensForValidators(uint256)",
    ];

    [Theory]
    [MemberData(nameof(RealFunctions))]
    public void The_sandbox_contract_has_every_real_function_with_the_real_selector(string signature)
    {
        var ids = CompiledContract.FlockTaskManager.MethodIdentifiers;

        Assert.True(ids.TryGetValue(signature, out var selector), $"{signature} is missing from the sandbox FlockTaskManager");
        Assert.Equal(FlockTaskManagerAbi.Selector(signature), "0x" + selector);
    }

    [Fact]
    public void The_operator_reads_functions_the_sandbox_contract_has()
    {
        var ids = CompiledContract.FlockTaskManager.MethodIdentifiers;
        string[] read =
        [
            FlockTaskManagerAbi.GetNodeStakes, FlockTaskManagerAbi.GetValidatorStakes, FlockTaskManagerAbi.MinNodeStakes,
            FlockTaskManagerAbi.ValidatorMinStake, FlockTaskManagerAbi.IsTaskCompleted,
        ];

        Assert.All(read, s => Assert.Equal(FlockTaskManagerAbi.Selector(s), "0x" + ids[s]));
        Assert.Equal("0x3707a8c1", FlockTaskManagerAbi.Selector(FlockTaskManagerAbi.GetNodeStakes));
    }

    [Fact]
    public void Events_have_the_real_shapes_so_their_topics_match()
    {
        var events = Events(CompiledContract.FlockTaskManager.Abi);

        Assert.Equal("NodeStakeDeposited(uint256 indexed,address indexed,uint256)", events["NodeStakeDeposited"]);
        Assert.Equal("ValidatorStakeDeposited(uint256 indexed,address indexed,uint256)", events["ValidatorStakeDeposited"]);
        Assert.Equal("NodeStakeWithdrawn(uint256 indexed,address indexed,uint256)", events["NodeStakeWithdrawn"]);
        Assert.Equal("ValidatorStakeWithdrawn(uint256 indexed,address indexed,uint256)", events["ValidatorStakeWithdrawn"]);
        Assert.Equal("TaskFinished(uint256)", events["TaskFinished"]);
        Assert.Equal("TaskCreated(uint256 indexed,address indexed,uint256,uint256)", events["TaskCreated"]);
        Assert.Equal(
            "0x" + Convert.ToHexStringLower(Nethereum.Util.Sha3Keccack.Current.CalculateHash(System.Text.Encoding.UTF8.GetBytes("TaskFinished(uint256)"))),
            FlockTaskManagerAbi.Topic(FlockTaskManagerAbi.TaskFinishedEvent));
    }

    [Fact]
    public void The_token_is_an_18_decimal_erc20()
    {
        var ids = CompiledContract.GmFlock.MethodIdentifiers;

        Assert.Equal("a9059cbb", ids["transfer(address,uint256)"]);
        Assert.Equal("23b872dd", ids["transferFrom(address,address,uint256)"]);
        Assert.Equal("095ea7b3", ids["approve(address,uint256)"]);
        Assert.Equal("70a08231", ids["balanceOf(address)"]);
        Assert.Contains("decimals()", ids.Keys);
        Assert.Contains("mint(address,uint256)", ids.Keys);
    }

    [Theory]
    [InlineData("0", "0 gmFLOCK")]
    [InlineData("1", "0.000000000000000001 gmFLOCK")]
    [InlineData("3000000000000000000000", "3000 gmFLOCK")]
    [InlineData("2500000000000000000", "2.5 gmFLOCK")]
    [InlineData("-1500000000000000000", "-1.5 gmFLOCK")]
    public void Amounts_format_as_exact_decimal_tokens(string wei, string text)
    {
        Assert.Equal(text, GmFlockAmount.ToDisplayString(BigInteger.Parse(wei, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1e3")]
    [InlineData("1,000")]
    [InlineData("0.0000000000000000001")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("3000 FLOCK")]
    public void Malformed_amount_text_is_refused(string text)
    {
        Assert.False(GmFlockAmount.TryParse(text, out _));
    }

    [Fact]
    public void Formatting_then_parsing_gives_back_the_same_wei()
    {
        Gen.Select(Gen.UInt, Gen.ULong, Gen.ULong, Gen.Bool)
            .Select((a, b, c, negative) =>
            {
                var v = ((BigInteger)a << 128) + ((BigInteger)b << 64) + c;
                return negative ? -v : v;
            })
            .Sample(wei =>
            {
                Assert.Equal(wei, GmFlockAmount.Parse(GmFlockAmount.ToDecimalString(wei)));
                Assert.Equal(wei, GmFlockAmount.Parse(GmFlockAmount.ToDisplayString(wei)));
            });
    }

    private static Dictionary<string, string> Events(string abi)
    {
        using var doc = JsonDocument.Parse(abi);
        return doc.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("type").GetString() == "event")
            .ToDictionary(
                e => e.GetProperty("name").GetString()!,
                e => e.GetProperty("name").GetString() + "(" + string.Join(",", e.GetProperty("inputs").EnumerateArray()
                    .Select(i => i.GetProperty("type").GetString() + (i.GetProperty("indexed").GetBoolean() ? " indexed" : ""))) + ")");
    }
}
