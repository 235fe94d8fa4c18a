using System.Collections.Frozen;
using System.Text.RegularExpressions;
using VoiceAnalytics.AnalysisService.Model;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// Finds the caller's name: a self-introduction in a caller's turn ("меня зовут …", "my name is …", "meu nome é
/// …"), or the first capitalised words of the caller's answer right after the agent asked for a name ("ваше
/// имя?" → "Иван Петров, ivan@…"). Only caller turns are read: the agent introduces itself too.
/// </summary>
public static partial class NameExtractor
{
    private static readonly string[] AgentAsksForName =
    [
        "ваше имя", "как вас зовут", "как к вам обращаться", "представьтесь", "ваши имя", "ваше фио",
        "your name", "who am i speaking", "who i'm speaking", "may i have your name", "your full name",
        "seu nome", "como você se chama", "como se chama", "com quem eu falo", "com quem falo", "o seu nome",
    ];

    // Words that start a sentence with a capital letter but are not names.
    private static readonly FrozenSet<string> NotNames = new[]
    {
        "да", "нет", "конечно", "хорошо", "ладно", "здравствуйте", "добрый", "доброе", "привет", "спасибо", "это", "меня",
        "мое", "моё", "алло", "ну", "так", "вот", "я",
        "yes", "no", "sure", "hello", "hi", "hey", "thanks", "thank", "ok", "okay", "it", "it's", "this", "my", "i", "i'm",
        "well", "yeah", "of", "good", "please",
        "sim", "não", "nao", "claro", "olá", "ola", "obrigado", "obrigada", "bom", "boa", "meu", "é", "oi", "pois", "então",
    }.ToFrozenSet();

    // Words that may follow a bare name given as an answer: "John Smith here".
    private static readonly string[] AnswerTails = ["here", "speaking", "calling", "слушаю", "aqui", "falando"];

    public static string? Find(ConversationTranscript transcript)
    {
        var turns = transcript.Turns;
        for (var i = 0; i < turns.Count; i++)
        {
            if (turns[i].Role != TurnRole.User)
            {
                continue;
            }
            foreach (Match introduced in Introduction().Matches(turns[i].Message))
            {
                if (NameAt(turns[i].Message, introduced.Index + introduced.Length) is { } name)
                {
                    return name;
                }
            }
            if (i > 0 && turns[i - 1].Role == TurnRole.Agent && AsksForName(turns[i - 1].Message) && LeadingName(turns[i].Message) is { } answered)
            {
                return answered;
            }
        }
        return null;
    }

    private static bool AsksForName(string agentMessage)
    {
        var lower = agentMessage.ToLowerInvariant().Replace('ё', 'е');
        return AgentAsksForName.Any(phrase => lower.Contains(phrase, StringComparison.Ordinal));
    }

    // "Иван Петров, ivan@…", "Да, Иван.", "Sure, it's John Smith": skip fillers, then take the capitalised words.
    private static string? LeadingName(string message)
    {
        var position = 0;
        while (Word().Match(message, position) is { Success: true } word)
        {
            if (!NotNames.Contains(word.Value.ToLowerInvariant()))
            {
                return OnlyFillerBetween(message, position, word.Index) && NameAt(message, word.Index) is { } name
                    && EndsTheAnswer(message, word.Index + name.Length) ? name : null;
            }
            position = word.Index + word.Length;
        }
        return null;
    }

    // A bare name as an answer ends its clause ("Иван Петров, ivan@…", "John Smith here."); "Хочу узнать…" does not.
    private static bool EndsTheAnswer(string message, int end)
    {
        var rest = message[end..].TrimStart();
        return rest.Length == 0 || !char.IsLetter(rest[0])
            || AnswerTails.Any(tail => rest.StartsWith(tail, StringComparison.OrdinalIgnoreCase));
    }

    private static bool OnlyFillerBetween(string message, int from, int to) =>
        message[from..to].All(c => char.IsWhiteSpace(c) || c is ',' or '.' or '!' or '-' or '—');

    // One to three capitalised words, Portuguese particles allowed between them ("Maria da Silva").
    private static string? NameAt(string message, int position)
    {
        var match = NameWords().Match(message, position);
        if (!match.Success || !OnlyFillerBetween(message, position, match.Index))
        {
            return null;
        }
        var name = match.Value.Trim();
        var first = name.Split(' ', 2)[0];
        return NotNames.Contains(first.ToLowerInvariant()) ? null : name;
    }

    [GeneratedRegex(@"(меня зовут|зовут меня|мое имя|моё имя|my name is|my name's|name is|this is|i am|i'm|meu nome é|meu nome e|me chamo|chamo-me|aqui é|aqui e|sou o|sou a)\s+", RegexOptions.IgnoreCase)]
    private static partial Regex Introduction();

    [GeneratedRegex(@"(\p{Lu}\p{Ll}+(['’\-]\p{Lu}?\p{Ll}+)*|\p{Lu}['’]\p{Lu}\p{Ll}+)((\s+(da|de|do|dos|das|van|von|der|ibn))?\s+(\p{Lu}\p{Ll}+(['’\-]\p{Lu}?\p{Ll}+)*|\p{Lu}['’]\p{Lu}\p{Ll}+)){0,2}")]
    private static partial Regex NameWords();

    [GeneratedRegex(@"[\p{L}'’]+")]
    private static partial Regex Word();
}
