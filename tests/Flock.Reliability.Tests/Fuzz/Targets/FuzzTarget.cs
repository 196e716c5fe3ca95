using System.Diagnostics;
using CsCheck;

namespace Flock.Reliability.Tests.Fuzz.Targets;

/// <summary>How many inputs a fuzz target checked, how many of them the code under test accepted, and in how long.</summary>
public sealed record FuzzCount(string Target, long Inputs, long Accepted, TimeSpan Elapsed)
{
    public long Refused => Inputs - Accepted;

    public override string ToString() =>
        $"{Target}: {Inputs:N0} inputs ({Accepted:N0} accepted, {Refused:N0} refused with the documented error) in {Elapsed.TotalSeconds:N1} s";
}

/// <summary>
/// One fuzzed parser: a generator of (mostly bad) inputs and the property every input must keep. Shared by the
/// test project (a fixed number of inputs, part of `make test`) and tests/Flock.Bench (BENCH=fuzz, by time).
/// </summary>
public interface IFuzzTarget
{
    string Name { get; }

    /// <summary>Checks <paramref name="inputs"/> inputs, or as many as fit in <paramref name="seconds"/> when that is positive. Throws on the first (shrunk) failure.</summary>
    FuzzCount Run(long inputs, int seconds = -1);
}

/// <summary>
/// A target from a CsCheck generator and a check that throws when the property breaks, and otherwise says whether
/// the input was accepted (true) or refused with the parser's documented error (false).
/// </summary>
public sealed class FuzzTarget<T>(string name, Gen<T> gen, Func<T, bool> check, Func<T, string> print) : IFuzzTarget
{
    public string Name => name;

    public FuzzCount Run(long inputs, int seconds = -1)
    {
        long count = 0;
        long accepted = 0;
        var clock = Stopwatch.StartNew();
        gen.Sample(x =>
        {
            Interlocked.Increment(ref count);
            if (check(x)) Interlocked.Increment(ref accepted);
        }, iter: seconds > 0 ? -1 : inputs, time: seconds, print: print);
        return new FuzzCount(name, Interlocked.Read(ref count), Interlocked.Read(ref accepted), clock.Elapsed);
    }
}

/// <summary>A property broke: the message says which input and what happened.</summary>
public sealed class FuzzFailure(string message, Exception? inner = null) : Exception(message, inner);
