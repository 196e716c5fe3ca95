using Flock.Akash.Sdl;
using Flock.Operator.FlockTasks;

namespace Flock.Reliability.Tests.Fuzz;

/// <summary>
/// The inputs fuzzing found that crashed a parser (before the fixes), kept as fixed cases so they stay fixed
/// whatever the random seed of the next fuzz run.
/// </summary>
public sealed class FuzzFindingTests
{
    private static readonly WorkerSdlRequest Request = new() { ServiceName = "flock-train", Image = "img", PriceAmount = "10000" };

    [Theory]
    [InlineData("a: [\nb:\n")] // YamlDotNet: InvalidOperationException
    [InlineData("- : x\nb:\n")] // YamlDotNet: ArgumentException
    public void Yaml_the_library_cannot_load_is_an_sdl_error(string yaml)
    {
        var e = Assert.Throws<SdlException>(() => SdlParser.Parse(yaml));

        Assert.Contains("not valid YAML", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1018446744073709551616000")] // JavaScript writes it 1.0184467440737095e+24
    [InlineData("0.0000001")] // and this 1e-7
    [InlineData("\"0.0000000000000000001\"")] // 19 decimal places
    public void A_price_the_chain_cannot_carry_is_refused_when_parsing_not_when_compiling(string amount)
    {
        var yaml = SdlRenderer.Render(Request).Yaml.Replace("amount: 10000", "amount: " + amount, StringComparison.Ordinal);

        var e = Assert.Throws<SdlException>(() => SdlCompiler.Compile(yaml));

        Assert.Contains(e.Errors, x => x.Path == "/profiles/placement/akash/pricing/flock-train/amount");
    }

    [Theory]
    [InlineData("Memory", "16Ei")] // beyond 2^64 bytes: OverflowException
    [InlineData("Memory", "99999999999999999999999999999Ei")] // beyond decimal: OverflowException
    [InlineData("Cpu", "1e400")]
    [InlineData("GpuMemory", "abc")] // FormatException
    [InlineData("PriceAmount", "5.")] // FormatException from LegacyDec
    [InlineData("PriceAmount", "1e5")]
    public void A_request_field_the_renderer_cannot_use_is_an_argument_error_naming_it(string field, string value)
    {
        var request = field switch
        {
            "Memory" => Request with { Memory = value },
            "Cpu" => Request with { Cpu = value },
            "GpuMemory" => Request with { GpuMemory = value },
            _ => Request with { PriceAmount = value },
        };

        var e = Assert.ThrowsAny<ArgumentException>(() => SdlRenderer.Render(request));

        Assert.Equal(field, e.ParamName);
        Assert.Contains(value, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_body_with_a_lone_surrogate_is_malformed()
    {
        var e = Assert.Throws<FlockApiException>(() => FlockTaskParser.Parse("{\"id\": 12, \"title\": \"\ud83d\"}", 12));

        Assert.Equal(FlockApiError.Malformed, e.Error);
        Assert.Contains("not valid text", e.Message, StringComparison.Ordinal);
    }
}
