using System.Globalization;
using Flock.Akash.Protos.BaseResourcesV1Beta4;
using Flock.Akash.Protos.DeploymentV1Beta4;

namespace Flock.Sandbox.AkashProvider;

/// <summary>
/// A provider's capacity and what open bids and leases hold of it (the cluster's Reserve/Unreserve in
/// provider-services): an order is bid on only if every replica of every resource unit fits in what is free, GPUs
/// of one acceptable model per unit. Thread-safe.
/// </summary>
internal sealed class Inventory(ProviderInventory total)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Reservation> _reserved = new(StringComparer.Ordinal);

    private sealed record Reservation(long Cpu, long Memory, long Storage, IReadOnlyDictionary<string, int> Gpus);

    /// <summary>The on-chain attributes that advertise the GPUs (capabilities/gpu/vendor/nvidia/model/…).</summary>
    public static IEnumerable<KeyValuePair<string, string>> CapabilityAttributes(ProviderInventory inventory)
    {
        foreach (var g in inventory.Gpus)
        {
            var model = $"capabilities/gpu/vendor/nvidia/model/{g.Model}";
            yield return new(model, "true");
            yield return new($"{model}/ram/{g.Ram}", "true");
            yield return new($"{model}/interface/{g.Interface}", "true");
            yield return new($"{model}/ram/{g.Ram}/interface/{g.Interface}", "true");
        }
    }

    public static ulong Units(ResourceValue? value) =>
        value is null || value.Val.IsEmpty || !ulong.TryParse(value.Val.ToStringUtf8(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? 0 : n;

    /// <summary>How many orders/leases hold capacity.</summary>
    public int Reservations
    {
        get
        {
            lock (_gate)
            {
                return _reserved.Count;
            }
        }
    }

    /// <summary>What each reservation holds, by order key, and what is left of the whole (for /status).</summary>
    public InventorySnapshot Snapshot()
    {
        lock (_gate)
        {
            var held = _reserved.ToDictionary(r => r.Key, r => new ResourceAmounts(r.Value.Cpu, r.Value.Gpus.Values.Sum(), r.Value.Memory, r.Value.Storage), StringComparer.Ordinal);
            var allocatable = new ResourceAmounts(total.CpuMillis, total.Gpus.Sum(g => g.Count), total.MemoryBytes, total.StorageBytes);
            var available = new ResourceAmounts(
                total.CpuMillis - held.Values.Sum(h => h.Cpu), allocatable.Gpu - held.Values.Sum(h => h.Gpu),
                total.MemoryBytes - held.Values.Sum(h => h.Memory), total.StorageBytes - held.Values.Sum(h => h.Storage));
            return new InventorySnapshot(held, allocatable, available);
        }
    }

    /// <summary>Reserves what <paramref name="spec"/> needs under <paramref name="key"/>; false when it does not fit.</summary>
    public bool TryReserve(string key, GroupSpec spec)
    {
        lock (_gate)
        {
            if (_reserved.ContainsKey(key))
            {
                return true;
            }

            long cpu = 0, memory = 0, storage = 0;
            var gpus = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var unit in spec.Resources)
            {
                var r = unit.Resource ?? new Resources();
                var count = (long)unit.Count;
                cpu += (long)Units(r.Cpu?.Units) * count;
                memory += (long)Units(r.Memory?.Quantity) * count;
                storage += r.Storage.Sum(s => (long)Units(s.Quantity)) * count;
                var gpuUnits = (int)Units(r.Gpu?.Units) * (int)count;
                if (gpuUnits > 0)
                {
                    var model = total.Gpus.FirstOrDefault(g => Acceptable(g, r.Gpu!) && g.Count - UsedGpus(g.Model) - gpus.GetValueOrDefault(g.Model) >= gpuUnits);
                    if (model is null)
                    {
                        return false;
                    }

                    gpus[model.Model] = gpus.GetValueOrDefault(model.Model) + gpuUnits;
                }
            }

            var used = _reserved.Values;
            if (used.Sum(u => u.Cpu) + cpu > total.CpuMillis || used.Sum(u => u.Memory) + memory > total.MemoryBytes || used.Sum(u => u.Storage) + storage > total.StorageBytes)
            {
                return false;
            }

            _reserved[key] = new Reservation(cpu, memory, storage, gpus);
            return true;
        }
    }

    public void Release(string key)
    {
        lock (_gate)
        {
            _reserved.Remove(key);
        }
    }

    private int UsedGpus(string model) => _reserved.Values.Sum(r => r.Gpus.GetValueOrDefault(model));

    // GroupSpec GPU attribute keys: vendor/nvidia/model/<model|*>[/ram/<ram>][/interface/<pcie|sxm>] = "true" (chain-sdk go/sdl/gpu.go).
    private static bool Acceptable(GpuInventory have, GPU gpu)
    {
        if (gpu.Attributes.Count == 0)
        {
            return true;
        }

        foreach (var a in gpu.Attributes.Where(a => a.Value == "true"))
        {
            var t = a.Key.Split('/');
            if (t.Length < 4 || t[0] != "vendor" || t[1] != "nvidia" || t[2] != "model" || (t[3] != "*" && t[3] != have.Model))
            {
                continue;
            }

            var ok = true;
            for (var i = 4; i + 1 < t.Length; i += 2)
            {
                ok &= t[i] switch
                {
                    "ram" => string.Equals(t[i + 1], have.Ram, StringComparison.OrdinalIgnoreCase),
                    "interface" => string.Equals(t[i + 1], have.Interface, StringComparison.OrdinalIgnoreCase),
                    _ => true,
                };
            }

            if (ok)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>CPU (millicores), GPUs, memory and storage (bytes): one row of the inventory metrics in /status.</summary>
internal readonly record struct ResourceAmounts(long Cpu, long Gpu, long Memory, long Storage);

/// <summary>The inventory at one moment: each reservation by order key, the node's total and what is free.</summary>
internal sealed record InventorySnapshot(IReadOnlyDictionary<string, ResourceAmounts> Reservations, ResourceAmounts Allocatable, ResourceAmounts Available);
