package com.example;

import java.util.Map;
import java.util.TreeMap;

/** Counts the words of a fixed text and prints them in order. */
public class WordCount {
    public static void main(String[] args) {
        String text = "the quick brown fox jumps over the lazy dog the end";
        Map<String, Integer> counts = new TreeMap<>();
        for (String w : text.split(" ")) {
            counts.merge(w, 1, Integer::sum);
        }
        System.out.println("word counts: " + counts);
    }
}
