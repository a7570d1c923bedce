/* Times of day in the fair's time zone, whatever the device's zone.
 *
 * The page names the zone in <meta name="time-zone" content="Europe/Bucharest">
 * (this script comes after it, in <head>): a 10:30 appointment in Timișoara
 * reads 10:30 on a phone set to UTC or to Belgrade. fairTime(isoOrDate) gives "HH:MM" (24-hour). */
(function (global) {
  "use strict";
  var root = document.documentElement;
  var meta = document.querySelector('meta[name="time-zone"]');
  var zone = (meta && meta.getAttribute("content")) || undefined;
  var format;
  try {
    format = new Intl.DateTimeFormat(root.lang || undefined, {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone,
    });
  } catch (err) {  // an unknown zone name: the device's zone is better than nothing
    format = new Intl.DateTimeFormat(root.lang || undefined, {
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    });
  }
  global.fairTime = function (value) {
    if (!value) return "";
    var date = value instanceof Date ? value : new Date(value);
    return isNaN(date.getTime()) ? "" : format.format(date);
  };
  global.fairTimeZone = zone;
})(window);
