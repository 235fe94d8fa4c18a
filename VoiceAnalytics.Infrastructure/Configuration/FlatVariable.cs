namespace VoiceAnalytics.Infrastructure.Configuration;

/// <summary>
/// One row of a service's table of flat environment names (the names existing deployments set, such as
/// <c>CRM_TIMEOUT_MS</c>): the options key it sets and how its value is read.
/// </summary>
/// <param name="Name">The flat name, e.g. <c>CRM_TIMEOUT_MS</c>.</param>
/// <param name="Key">The options key it sets, e.g. <c>Crm:Timeout</c>.</param>
/// <param name="Kind">How the value is converted for the options binder.</param>
public sealed record FlatVariable(string Name, string Key, FlatValueKind Kind = FlatValueKind.Text);
