using System.Text.Json;

namespace Flock.Sandbox.Evm;

/// <summary>One contract compiled from <c>contracts/*.sol</c> at build time (ABI and creation bytecode).</summary>
/// <param name="Name">The Solidity contract name.</param>
/// <param name="Abi">The ABI as a JSON array.</param>
/// <param name="Bytecode">The creation bytecode, 0x-prefixed hex.</param>
/// <param name="MethodIdentifiers">Canonical signature (for example <c>getNodeStakes(uint256,address)</c>) to 4-byte selector hex.</param>
/// <param name="Compiler">The solc version that produced it.</param>
public sealed record CompiledContract(
    string Name, string Abi, string Bytecode, IReadOnlyDictionary<string, string> MethodIdentifiers, string Compiler)
{
    /// <summary>The sandbox gmFLOCK token.</summary>
    public static CompiledContract GmFlock { get; } = Load("GmFlock");

    /// <summary>The sandbox FlockTaskManager (the staking part of FlockTaskManagerV2).</summary>
    public static CompiledContract FlockTaskManager { get; } = Load("FlockTaskManager");

    /// <summary>Loads an embedded compiled contract by name.</summary>
    public static CompiledContract Load(string name)
    {
        var resource = $"Flock.Sandbox.Evm.Contracts.{name}.json";
        using var stream = typeof(CompiledContract).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException(
                $"The compiled contract '{name}' is not embedded in {typeof(CompiledContract).Assembly.GetName().Name} (resource {resource}).");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in root.GetProperty("methodIdentifiers").EnumerateObject())
        {
            ids[p.Name] = p.Value.GetString() ?? "";
        }

        return new CompiledContract(
            root.GetProperty("contractName").GetString() ?? name,
            root.GetProperty("abi").GetRawText(),
            root.GetProperty("bytecode").GetString() ?? throw new InvalidOperationException($"{resource} has no bytecode."),
            ids,
            root.GetProperty("compiler").GetString() ?? "");
    }

    /// <summary>The names of every embedded compiled contract.</summary>
    public static IReadOnlyList<string> Embedded() =>
        [.. typeof(CompiledContract).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Flock.Sandbox.Evm.Contracts.", StringComparison.Ordinal))
            .Select(n => n["Flock.Sandbox.Evm.Contracts.".Length..^".json".Length])];

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Compiler}, {Bytecode.Length / 2 - 1} bytes)";
}
