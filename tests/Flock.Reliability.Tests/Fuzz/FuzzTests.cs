using Flock.Reliability.Tests.Fuzz.Targets;
using Xunit.Abstractions;

namespace Flock.Reliability.Tests.Fuzz;

/// <summary>
/// Each fuzz target over its `make test` budget of inputs; the count is printed (dotnet test --logger
/// "console;verbosity=detailed" shows it). A longer run by time: `make bench BENCH=fuzz`.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    public static TheoryData<string> Targets() => new(FuzzCatalogue.All.Select(t => t.Target.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void No_input_breaks_the_target(string name)
    {
        var (target, inputs) = FuzzCatalogue.All.Single(t => t.Target.Name == name);

        var count = target.Run(inputs);

        output.WriteLine(count.ToString());
        Assert.True(count.Inputs >= inputs, $"{count.Inputs} of {inputs} inputs checked");
        // The generator reaches both sides of the parser: inputs it accepts and inputs it refuses.
        Assert.True(count.Accepted > 0 && count.Refused > 0, count.ToString());
    }
}
