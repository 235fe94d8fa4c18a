using System.Globalization;

namespace VoiceAnalytics.System.Tests.Support;

/// <summary>
/// Where a run's conversations are in the pipeline. <c>Leads</c> counts conversations with exactly one lead (one
/// record Id accepted by the fake CRM); <c>DuplicateLeads</c> those with more than one Id; <c>Resent</c> accepted
/// CRM requests beyond the first per Id (an update of the same lead, harmless by design).
/// </summary>
public sealed record PipelineCounts(
    int Expected,
    int Events,
    int Analysed,
    int MultiplyAnalysed,
    int AnalysisJobsOpen,
    int AnalysisJobsDead,
    int CrmJobsOpen,
    int CrmJobsDead,
    int ExportsDone,
    int Leads,
    int DuplicateLeads,
    int Resent)
{
    /// <summary>Accepted conversations with no stored event, no analysis or no lead.</summary>
    public int Lost => Expected - Math.Min(Expected, Math.Min(Events, Math.Min(Analysed, Leads)));

    public bool Complete => Events == Expected && Analysed == Expected && Leads == Expected && ExportsDone == Expected
        && AnalysisJobsOpen == 0 && CrmJobsOpen == 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"expected {Expected}: events {Events}, analysed {Analysed} (more than once {MultiplyAnalysed}), analysis jobs open {AnalysisJobsOpen} dead {AnalysisJobsDead}, " +
        $"crm jobs open {CrmJobsOpen} dead {CrmJobsDead}, exports done {ExportsDone}, leads {Leads} (duplicates {DuplicateLeads}, re-sent same Id {Resent}), lost {Lost}");
}
