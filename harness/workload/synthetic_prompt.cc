#include "harness/workload/synthetic_prompt.h"

#include <array>
#include <string_view>

#include "harness/workload/distribution.h"

namespace teeharness::workload {
namespace {

// Short, common English words, one token each by the rule of synthetic_prompt.h. 256 of them,
// so that one word is one byte of the unique prefix.
constexpr std::array<std::string_view, kWordCount> kWords = {
    "time",    "water",   "north",   "people",  "world",    "house",    "music",   "paper",
    "money",   "story",   "light",   "table",   "river",    "green",    "city",    "field",
    "stone",   "night",   "summer",  "window",  "garden",   "market",   "bridge",  "school",
    "doctor",  "horse",   "island",  "letter",  "mountain", "camera",   "engine",  "planet",
    "silver",  "winter",  "forest",  "coffee",  "ticket",   "button",   "friend",  "family",
    "number",  "report",  "student", "system",  "program",  "question", "answer",  "problem",
    "history", "energy",  "power",   "price",   "value",    "voice",    "model",   "order",
    "point",   "group",   "level",   "state",   "public",   "early",    "final",   "simple",
    "strong",  "small",   "large",   "short",   "quick",    "clear",    "quiet",   "happy",
    "heavy",   "bright",  "warm",    "cold",    "fresh",    "dark",     "open",    "close",
    "begin",   "start",   "finish",  "build",   "carry",    "change",   "choose",  "follow",
    "learn",   "listen",  "move",    "play",    "read",     "write",    "speak",   "teach",
    "travel",  "visit",   "watch",   "work",    "walk",     "grow",     "help",    "keep",
    "leave",   "live",    "make",    "plan",    "share",    "show",     "sleep",   "stand",
    "think",   "turn",    "wait",    "want",    "wish",     "after",    "again",   "always",
    "before",  "often",   "today",   "under",   "above",    "along",    "around",  "behind",
    "between", "during",  "inside",  "outside", "since",    "until",    "while",   "about",
    "also",    "still",   "ever",    "never",   "only",     "just",     "even",    "much",
    "more",    "most",    "some",    "every",   "other",    "same",     "such",    "each",
    "red",     "blue",    "black",   "white",   "brown",    "gold",     "orange",  "purple",
    "yellow",  "grey",    "pink",    "circle",  "square",   "line",     "shape",   "color",
    "sound",   "smell",   "taste",   "touch",   "dream",    "idea",     "goal",    "rule",
    "law",     "fact",    "truth",   "reason",  "result",   "cause",    "effect",  "event",
    "moment",  "season",  "century", "minute",  "hour",     "week",     "month",   "year",
    "morning", "evening", "road",    "street",  "path",     "train",    "plane",   "ship",
    "car",     "bike",    "truck",   "wheel",   "door",     "wall",     "floor",   "roof",
    "room",    "kitchen", "bread",   "cheese",  "apple",    "sugar",    "salt",    "honey",
    "fruit",   "rice",    "soup",    "milk",    "tea",      "wine",     "glass",   "plate",
    "bowl",    "knife",   "tree",    "flower",  "grass",    "leaf",     "seed",    "root",
    "bird",    "fish",    "wolf",    "bear",    "lion",     "tiger",    "snake",   "mouse",
    "cat",     "dog",     "king",    "queen",   "prince",   "army",     "battle",  "peace",
    "war",     "union",   "nation",  "country", "village",  "farm",     "factory", "office"};

// Stream ids of the generators (GeneratorFor) that must not collide with prompt sequences.
constexpr uint64_t kSharedPrefixStream = ~uint64_t{0};

void AppendWord(std::string& out, std::string_view word) {
  if (!out.empty()) out += ' ';
  out += word;
}

}  // namespace

SyntheticPrompt GeneratePrompt(const SyntheticSpec& spec, uint64_t seed, uint64_t sequence) {
  SplitMix64 draws = GeneratorFor(seed, sequence);
  SyntheticPrompt prompt;
  const uint32_t length = SampleTokens(spec.prompt_tokens, draws);
  if (spec.output_tokens) prompt.max_tokens = SampleTokens(*spec.output_tokens, draws);
  std::string& out = prompt.content;
  out.reserve(static_cast<size_t>(length) * 7);
  SplitMix64 shared = GeneratorFor(seed, kSharedPrefixStream);
  for (uint32_t i = 0; i < spec.shared_prefix_tokens; ++i) {
    AppendWord(out, kWords[shared.Next() % kWordCount]);
  }
  uint32_t words = spec.shared_prefix_tokens;
  if (spec.unique_prefix) {
    // splitmix64's finaliser is a bijection of 64-bit values: distinct sequences, distinct bytes.
    uint64_t id = SplitMix64(seed).Next() ^ sequence;
    id = (id ^ (id >> 30)) * 0xbf58476d1ce4e5b9ULL;
    id = (id ^ (id >> 27)) * 0x94d049bb133111ebULL;
    id ^= id >> 31;
    for (uint32_t i = 0; i < kUniquePrefixWords; ++i, id >>= 8) AppendWord(out, kWords[id & 0xff]);
    words += kUniquePrefixWords;
  }
  for (; words < length; ++words) AppendWord(out, kWords[draws.Next() % kWordCount]);
  prompt.words = words;
  return prompt;
}

}  // namespace teeharness::workload
