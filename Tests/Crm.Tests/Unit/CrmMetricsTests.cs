using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VoiceAnalytics.Crm.Tests.Support;
using VoiceAnalytics.CrmService.Creatio;
using VoiceAnalytics.CrmService.Export;
using VoiceAnalytics.CrmService.Model;

namespace VoiceAnalytics.Crm.Tests.Unit;

public sealed class CrmMetricsTests
{
    [Fact]
    public async Task OutcomesAreCountedByResultAndTheBreakerStateIsAGauge()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var options = CrmTestOptions.Create(o => o.MaxRetries = 0);
        var breaker = new CreatioCircuit(options, TimeProvider.System);
        var pipeline = new CreatioPipeline(options, breaker, TimeProvider.System, NullLogger<CreatioPipeline>.Instance).Pipeline;
        var metrics = new CrmMetrics(factory, breaker);

        var outcomes = new List<(long Value, string? Result)>();
        var states = new List<int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == CrmMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "crm.export.outcomes")
            {
                outcomes.Add((value, tags.ToArray().Single(t => t.Key == "result").Value as string));
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) =>
        {
            if (instrument.Name == "crm.circuit.state")
            {
                states.Add(value);
            }
        });
        listener.Start();

        var request = new CreatioRequestBuilder(CrmTestOptions.Create()).Build(Leads.Fixture());
        metrics.Record(new ExportOutcome(ExportStatus.Exported, request, "creatio", null), TimeSpan.FromMilliseconds(5));
        metrics.Record(new ExportOutcome(ExportStatus.Failed, request, "creatio", "HTTP 500"), TimeSpan.FromMilliseconds(5));
        metrics.RecordDead();
        for (var i = 0; i < 5; i++)
        {
            await pipeline.ExecuteAsync(_ => ValueTask.FromResult(CreatioResult.Failed(500, "HTTP 500", transient: true)));
        }
        listener.RecordObservableInstruments();

        Assert.Equal([(1L, "exported"), (1L, "failed"), (1L, "dead")], outcomes);
        Assert.Equal([(int)CircuitState.Open], states);
    }
}
