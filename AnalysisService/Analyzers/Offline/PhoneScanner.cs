using System.Text;
using System.Text.RegularExpressions;

namespace VoiceAnalytics.AnalysisService.Analyzers.Offline;

/// <summary>
/// Finds phone-number-like runs in free text, written ("+375 (29) 123-45-67") or spoken ("плюс триста семьдесят
/// пять, двадцать девять, один два три…") or mixed. A run is a sequence of digit groups and number words
/// separated only by spaces, commas, hyphens, parentheses or dots between digits; any other word ends it.
/// Spoken compounds are read the way people dictate: "триста семьдесят пять" is one group "375", "один два три"
/// is three groups "1", "2", "3".
/// </summary>
public static partial class PhoneScanner
{
    private const int MinDigits = 7;
    private const int MaxDigits = 15;

    public static IEnumerable<PhoneCandidate> Scan(string text)
    {
        var tokens = Tokenizer().Matches(text.Replace('ё', 'е').Replace('Ё', 'Е'));
        var run = new Run();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i].Value;
            var lower = token.ToLowerInvariant();
            if (char.IsAsciiDigit(token[0]))
            {
                run.AddDigits(token);
            }
            else if (token == "+" || NumberWords.Plus.Contains(lower))
            {
                if (run.HasDigits && run.Take() is { } done)
                {
                    yield return done;
                }
                run.MarkInternational();
            }
            else if (NumberWords.TryGet(lower, out var word))
            {
                run.AddWord(word);
            }
            else if (NumberWords.Joiners.Contains(lower) && run.HasOpenCompound && NextIsNumberWord(tokens, i))
            {
                // "vinte e nove": the joiner keeps the compound open.
            }
            else if (token is "," or "-" or "(" or ")" or "–" || (token == "." && BetweenDigits(tokens, i)))
            {
                run.CloseCompound();
            }
            else if (run.Take() is { } done)
            {
                yield return done;
            }
        }
        if (run.Take() is { } last)
        {
            yield return last;
        }
    }

    private static bool NextIsNumberWord(MatchCollection tokens, int i) =>
        i + 1 < tokens.Count && NumberWords.TryGet(tokens[i + 1].Value.ToLowerInvariant(), out _);

    private static bool BetweenDigits(MatchCollection tokens, int i) =>
        i > 0 && i + 1 < tokens.Count && char.IsAsciiDigit(tokens[i - 1].Value[0]) && char.IsAsciiDigit(tokens[i + 1].Value[0])
        && tokens[i - 1].Index + tokens[i - 1].Length == tokens[i].Index && tokens[i].Index + 1 == tokens[i + 1].Index;

    // Digit runs, words (any script), "+", and single punctuation marks; whitespace is dropped.
    [GeneratedRegex(@"\d+|\p{L}+|\+|[^\s\p{L}\d]")]
    private static partial Regex Tokenizer();

    /// <summary>The digits collected so far, with the compound number word being built ("триста семьдесят …").</summary>
    private sealed class Run
    {
        private readonly StringBuilder _digits = new();
        private bool _international;
        private int _hundreds = -1;
        private int _tens = -1;
        private int _units = -1;

        public bool HasDigits => _digits.Length > 0 || HasOpenCompound;

        public bool HasOpenCompound => _hundreds >= 0 || _tens >= 0 || _units >= 0;

        public void MarkInternational() => _international = true;

        public void AddDigits(string digits)
        {
            CloseCompound();
            _digits.Append(digits);
        }

        public void AddWord(NumberWord word)
        {
            switch (word.Kind)
            {
                case NumberWordKind.Hundred:
                    CloseCompound();
                    _hundreds = word.Value;
                    break;
                case NumberWordKind.Ten or NumberWordKind.Teen:
                    if (_tens >= 0 || _units >= 0)
                    {
                        CloseCompound();
                    }
                    _tens = word.Value;
                    // A teen is complete: "одиннадцать пять" is 11, 5.
                    if (word.Kind == NumberWordKind.Teen)
                    {
                        _units = 0;
                    }
                    break;
                default:
                    // A zero never extends a compound; a unit extends a hundred or a ten ("сорок пять"), not a unit.
                    if (word.Value == 0 || _units >= 0 || (_tens < 0 && _hundreds < 0))
                    {
                        CloseCompound();
                        if (word.Value == 0)
                        {
                            _digits.Append('0');
                            return;
                        }
                    }
                    _units = word.Value;
                    break;
            }
        }

        public void CloseCompound()
        {
            if (!HasOpenCompound)
            {
                return;
            }
            _digits.Append(Math.Max(_hundreds, 0) + Math.Max(_tens, 0) + Math.Max(_units, 0));
            _hundreds = _tens = _units = -1;
        }

        public PhoneCandidate? Take()
        {
            CloseCompound();
            var candidate = _digits.Length is >= MinDigits and <= MaxDigits
                ? new PhoneCandidate(_digits.ToString(), _international)
                : (PhoneCandidate?)null;
            _digits.Clear();
            _international = false;
            return candidate;
        }
    }
}
