using System.Diagnostics.Metrics;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>One measurement an instrument reported, with its tags.</summary>
internal sealed record Measured(string Instrument, double Value, IReadOnlyDictionary<string, string> Tags);

/// <summary>Listens to the instruments of one <see cref="IMeterFactory"/> (one host) and keeps what they report.</summary>
internal sealed class Measurements : IDisposable
{
    private readonly List<Measured> _points = [];
    private readonly MeterListener _listener;

    public Measurements(IMeterFactory factory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
            },
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Measured> Points
    {
        get
        {
            lock (_points) return [.. _points];
        }
    }

    /// <summary>Calls every observable instrument's callback once (what a scrape does).</summary>
    public IReadOnlyList<Measured> Observe()
    {
        _listener.RecordObservableInstruments();
        return Points;
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags) map[tag.Key] = tag.Value?.ToString() ?? "";
        lock (_points) _points.Add(new Measured(instrument.Name, value, map));
    }
}
