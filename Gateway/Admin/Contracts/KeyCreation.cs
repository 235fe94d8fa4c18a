namespace VoiceAnalytics.Gateway.Admin.Contracts;

/// <summary>A new key's name, role (admin, operator, auditor) and optional lifetime in days.</summary>
public sealed record KeyCreation(string Name, string Role, int? ExpiresInDays = null);
