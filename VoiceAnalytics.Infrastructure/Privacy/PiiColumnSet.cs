namespace VoiceAnalytics.Infrastructure.Privacy;

/// <summary>
/// "These columns of this table hold encrypted values": what the re-encryption job rewrites after a key rotation.
/// <paramref name="Table"/> is schema-qualified, <paramref name="KeyColumn"/> a unique, orderable column (the
/// primary key). A <c>text</c> column holds one envelope; a <c>jsonb</c> column may hold envelopes in any string; a <c>bytea</c>
/// column holds one binary envelope.
/// </summary>
public sealed record PiiColumnSet(string Table, string KeyColumn, IReadOnlyList<PiiColumn> Columns);

/// <summary>
/// One column of a <see cref="PiiColumnSet"/>; <paramref name="IsJson"/> for <c>jsonb</c> (envelopes in its strings, or
/// the whole document sealed as one string), <paramref name="IsBinary"/> for <c>bytea</c> written by <see cref="PiiBytes"/>.
/// </summary>
public sealed record PiiColumn(string Name, bool IsJson = false, bool IsBinary = false);
